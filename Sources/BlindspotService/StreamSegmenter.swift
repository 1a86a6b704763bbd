import Blindspot
import BlindspotMedia
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Anonymizes a live source continuously, cut into segments at keyframes.
///
/// The source's compressed packets are copied, unchanged and without decoding, into a kernel
/// pipe as MPEG-TS; an `Anonymizer` run reads the other end and writes the segment's anonymized
/// output and sidecar into the outbox. At the first keyframe after `segmentSeconds` the pipe is
/// closed (that run finishes its segment) and a new pipe and run begin. Raw video thus never
/// touches the disk, and each segment is a complete clip that can be stored while the next one
/// is recorded. When the source fails or ends, the segment in progress is finished and the
/// source is opened again with exponential backoff.
///
/// Thread-safety: `Sendable`; the recording loop runs on a thread of its own, the stop flag is
/// lock-protected, each segment's run has its own thread.
final class StreamSegmenter: @unchecked Sendable {
  typealias Finished = @Sendable (_ path: String, _ result: Result<Sidecar, BlindspotError>) -> Void

  let settings: StreamSettings
  private let anonymizer: Anonymizer
  private let outbox: URL
  private let onSegment: Finished
  private let logger: Logger
  private let lock = NSLock()
  private var stopping = false  // Lock-protected.

  /// `outbox` is the service's outbox; segments go to `streams/<name>/` below it.
  init(settings: StreamSettings, anonymizer: Anonymizer, outbox: URL, logger: Logger, onSegment: @escaping Finished) {
    var anonymizer = anonymizer
    anonymizer.options.inputFormat = "mpegts"  // what the pipe carries
    anonymizer.options.format = settings.container == "ts" ? "mpegts" : "mp4"
    self.settings = settings
    self.anonymizer = anonymizer
    self.outbox = outbox
    self.logger = logger
    self.onSegment = onSegment
  }

  func start() {
    // A reader that goes away must not kill the process with SIGPIPE: the write fails instead.
    signal(SIGPIPE, SIG_IGN)
    let thread = Thread { [self] in recordForever() }
    thread.name = "stream-\(settings.name)"
    thread.start()
  }

  /// Stops after the packet being copied; the segment in progress is finished.
  func stop() { lock.withLock { stopping = true } }

  private var isStopping: Bool { lock.withLock { stopping } }

  private func recordForever() {
    var failures = 0
    while !isStopping {
      do {
        try record()
        failures = 0
        if isStopping { break }
        logger.warning("stream ended; reconnecting", metadata: ["stream": "\(settings.name)"])
      } catch {
        failures += 1
        logger.warning("stream unavailable; reconnecting", metadata: ["stream": "\(settings.name)", "error": "\(error)"])
      }
      let delay = min(settings.maxReconnectDelay.seconds, 0.5 * pow(2, Double(min(failures, 10))))
      Thread.sleep(forTimeInterval: delay)
    }
  }

  /// Copies the source into segments until it ends or fails.
  private func record() throws {
    let demuxer = try Demuxer(url: settings.url, format: settings.inputFormat)
    let video = try demuxer.bestVideoStream()
    logger.notice("stream opened", metadata: ["stream": "\(settings.name)", "codec": "\(video.codecName)",
                                              "size": "\(video.width)x\(video.height)"])
    let packet = Packet()
    let timeBase = video.timeBase.doubleValue
    var segment: SegmentPipe?
    defer { segment?.close() }
    while !isStopping, try demuxer.read(into: packet) == .packet {
      guard packet.streamIndex == video.index else { continue }  // audio and data never leave
      let time = Double(packet.timestamp ?? 0) * timeBase
      if packet.isKeyframe, segment.map({ time - $0.startTime >= settings.segmentSeconds }) ?? true {
        segment?.close()
        segment = try SegmentPipe(demuxer: demuxer, video: video, startTime: time, job: nextJob(), anonymizer: anonymizer,
                                  onSegment: onSegment)
      }
      try segment?.write(packet)  // nil until the first keyframe: a segment must start decodable
    }
  }

  private var sequence = 0  // Touched only by the recording thread.

  /// Where the next segment goes: `streams/<name>/<UTC start>.<ext>`, unique within the run.
  private func nextJob() -> (path: String, job: AnonymizeJob) {
    sequence += 1
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!  // A fixed, always-present zone.
    let now = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date())
    let stamp = String(format: "%04d-%02d-%02d_%02d-%02d-%02d", now.year ?? 0, now.month ?? 0, now.day ?? 0,
                       now.hour ?? 0, now.minute ?? 0, now.second ?? 0)
    let path = "streams/\(settings.name)/\(stamp)-\(String(format: "%04d", sequence)).\(settings.container)"
    let output = outbox.appendingPathComponent(path)
    try? FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
    return (path, AnonymizeJob(source: "", name: "stream \(settings.name)", file: nil, output: output))
  }
}

/// One segment in flight: a pipe, the MPEG-TS muxer writing into it, and the anonymizing run
/// reading it on a thread of its own.
private final class SegmentPipe {
  /// `F_SETPIPE_SZ`, which Glibc declares only under `_GNU_SOURCE`.
  static let setPipeSize: Int32 = 1031
  let startTime: Double
  private let muxer: Muxer
  private let output: Int
  private let writeEnd: Int32
  private var closed = false

  init(demuxer: Demuxer, video: StreamInfo, startTime: Double, job: (path: String, job: AnonymizeJob), anonymizer: Anonymizer,
       onSegment: @escaping StreamSegmenter.Finished) throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
    _ = fcntl(ends[1], Self.setPipeSize, 1 << 20)  // a second of 1080p in the kernel, if allowed
    let (readEnd, writeEnd) = (ends[0], ends[1])
    do {
      muxer = try Muxer(path: "pipe:\(writeEnd)", format: "mpegts")
      output = try muxer.addCopiedStream(from: demuxer, source: video)
      try muxer.begin()
    } catch {
      Glibc.close(readEnd)
      Glibc.close(writeEnd)
      throw error
    }
    self.writeEnd = writeEnd
    self.startTime = startTime
    var reading = job.job
    reading.source = "pipe:\(readEnd)"
    let run = reading
    let thread = Thread {
      let result: Result<Sidecar, BlindspotError>
      do throws(BlindspotError) { result = .success(try anonymizer.run(run)) } catch { result = .failure(error) }
      Glibc.close(readEnd)  // a writer still going gets EPIPE instead of blocking forever
      onSegment(job.path, result)
    }
    thread.name = "segment"
    thread.stackSize = 8 << 20
    thread.start()
  }

  func write(_ packet: Packet) throws {
    try muxer.write(packet, toStream: output)
  }

  /// Ends the segment: the trailer, then end-of-file for the reader.
  func close() {
    guard !closed else { return }
    closed = true
    try? muxer.finish()
    Glibc.close(writeEnd)  // FFmpeg's pipe protocol leaves the descriptor to its owner
  }
}
