import BlindspotFiles
import BlindspotSensor
import BlindspotStore
import Foundation

/// What happens to telemetry embedded in the video: the SEI "user data unregistered" payloads the
/// decoder attaches to frames (Tesla dashcams put GPS, speed, steering and pedals there).
///
/// The encoder never sees them (redaction strips frame side data). Without a sensor policy they are
/// counted and dropped (fail closed); with one, Tesla messages are decoded, run through the policy
/// and written as `OUT.sensor.jsonl` next to the output. Payloads Blindspot cannot parse are
/// dropped either way, and the sidecar says how many.
///
/// Not thread-safe; owned by the pipeline.
final class StageEmbeddedSensor {
  private let anonymizer: SensorAnonymizer?
  private let file: AtomicFile?
  private let handle: FileHandle?
  private let writer: JSONLinesWriter?
  private(set) var summary = Sidecar.EmbeddedData()
  /// NMEA text from subtitle tracks, read once the video is done (sentences span packets).
  private var subtitleText: [UInt8] = []
  /// Whether the policy can use this subtitle codec: MP4 timed text, where dashcams put NMEA.
  static func readsSubtitles(codec: String) -> Bool { codec == "mov_text" }

  /// The sensor output of a video output: `clip.mp4` → `clip.mp4.sensor.jsonl`.
  static func url(for output: URL) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(fileName(forOutput: output.lastPathComponent))
  }

  static func fileName(forOutput name: String) -> String { name + ".sensor.jsonl" }

  init(policy: SensorPolicy?, output: URL) throws {
    guard let policy else {
      (anonymizer, file, handle, writer) = (nil, nil, nil, nil)
      return
    }
    let file = AtomicFile(finalURL: Self.url(for: output))
    guard FileManager.default.createFile(atPath: file.temporaryURL.path, contents: nil) else {
      throw BlindspotError(.badInput, subject: file.finalURL.path, reason: "cannot create the sensor output")
    }
    let handle = try FileHandle(forWritingTo: file.temporaryURL)
    let writer = JSONLinesWriter(output: TextOutput(handle: handle))
    self.file = file
    self.handle = handle
    self.writer = writer
    anonymizer = SensorAnonymizer(policy: policy) { sample, trip in try writer.write(sample, trip: trip) }
    summary.policyApplied = true
  }

  /// Takes the payloads of one frame shown at `time` seconds from the start.
  func add(_ payloads: [[UInt8]], time: Double) throws {
    for payload in payloads {
      guard Self.isTeslaTelemetry(payload) else {
        summary.otherPayloadsDropped += 1
        continue
      }
      summary.teslaMessages += 1
      guard let anonymizer else { continue }
      do {
        try anonymizer.add(try TeslaSEI.decode(payload: payload, timestamp: Date(timeIntervalSince1970: time)))
      } catch let error as SensorError where error.kind == .badInput {
        summary.malformedDropped += 1  // a broken message is dropped, never passed on half-read
      }
    }
  }

  /// Takes one packet of a timed-text track (MP4 `tx3g`: a 16-bit length, then the text).
  func addSubtitle(_ payload: UnsafeRawBufferPointer) {
    guard anonymizer != nil, payload.count >= 2 else { return }
    let length = Int(payload[0]) << 8 | Int(payload[1])
    let text = payload[2..<min(payload.count, 2 + length)]
    subtitleText.append(contentsOf: text)
    if text.last != 0x0A { subtitleText.append(0x0A) }
    summary.subtitlePackets += 1
  }

  /// Ends the trip (trip-end rules need its end) and returns what happened.
  func finish() throws -> Sidecar.EmbeddedData {
    if let anonymizer {
      if !subtitleText.isEmpty {
        // Sentences with a bad checksum are skipped and counted by the reader, never half-read.
        let reader = NMEAReader(lines: LineReader(bytes: subtitleText), file: "subtitle track")
        try reader.forEach { sample, _ in try anonymizer.add(sample) }
        summary.malformedDropped += reader.skippedCount
        subtitleText = []
      }
      try anonymizer.finish()
      try writer?.finish()
      summary.report = anonymizer.report
    }
    return summary
  }

  /// Moves the sensor output into place; call after the video is committed. Returns the
  /// sha256 of what it committed (nil without a policy), for the sidecar.
  func commit() throws -> String? {
    try handle?.close()
    guard let file else { return nil }
    try file.commit()
    return try FileDigest.of(file.finalURL).sha256
  }

  /// Tesla's framing: the payload starts with a run of 0x42 bytes closed by 0x69, where other
  /// encoders put a 16-byte UUID (x264, for one, writes its version string that way).
  static func isTeslaTelemetry(_ payload: [UInt8]) -> Bool {
    guard let end = payload.firstIndex(where: { $0 != 0x42 }), end >= 3 else { return false }
    return payload[end] == 0x69
  }
}
