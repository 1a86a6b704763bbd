import BlindspotMedia
import BlindspotSensor
import BlindspotStore
import BlindspotVision
import Foundation

/// Anonymizes one input into one output: the pipeline
/// `Demux → Decode → (Convert) → Detect → Redact → Encode → Mux`, drawn once in `perform`.
///
/// Important: the output appears under its final name only after the trailer is written and the
/// file is fsynced; any failure removes the partial file (invariant 5). Every frame is either
/// redacted with the boxes found on it or, when detection failed, masked whole (invariant 2).
public struct Anonymizer: Sendable {
  public var options: AnonymizeOptions
  public var detectors: any DetectorFactory
  public var progress: any ProgressReporter
  /// The legal region recorded in the sidecar, when one is configured.
  public var region: String?
  /// What to do with telemetry embedded in the frames; nil drops it (fail closed).
  public var sensorPolicy: SensorPolicy?

  public init(options: AnonymizeOptions, detectors: any DetectorFactory, progress: any ProgressReporter = SilentProgress(),
              region: String? = nil, sensorPolicy: SensorPolicy? = nil) {
    self.options = options
    self.detectors = detectors
    self.progress = progress
    self.region = region
    self.sensorPolicy = sensorPolicy
  }

  /// Runs the job; on success the output and its sidecar exist, on failure neither does.
  @discardableResult
  public func run(_ job: AnonymizeJob) throws(BlindspotError) -> Sidecar {
    do {
      return try perform(job)
    } catch {
      throw BlindspotError.wrapping(error, subject: job.name)
    }
  }

  private func perform(_ job: AnonymizeJob) throws -> Sidecar {
    let runStarted = Date()
    let facts = try Preflight.check(job)

    // Demux and decode.
    let demuxer = try Demuxer(url: job.source, format: options.inputFormat)
    let video = try demuxer.bestVideoStream()
    guard video.width > 0, video.height > 0 else {
      throw BlindspotError(.badInput, subject: job.name, reason: "the video stream has no frame size (zero-length or broken stream)")
    }
    let decoder = try VideoDecoder(demuxer: demuxer, stream: video)

    // Detect and redact. Models load before anything is written: a missing one is a start-up error.
    let detect = StageDetect(
      detectors: try detectors.makeDetectors(for: options.classes, frameWidth: video.width, frameHeight: video.height),
      tiles: options.tiles)
    let redact = StageRedact(redactor: Redactor(style: options.style))

    // Encode and mux, into a temporary file next to the final one.
    let outputFile = AtomicFile(finalURL: job.output)
    defer { outputFile.discard() }  // a no-op once committed
    let muxer = try Muxer(path: outputFile.temporaryURL.path, format: options.format, formatHint: job.output.lastPathComponent)
    let encoder = try VideoEncoder(settings: options.encoder, decoder: decoder, globalHeader: muxer.needsGlobalHeader,
                                   reorderFrames: muxer.storesPresentationOrder)
    let converter = FormatConverter(target: encoder.pixelFormat)
    let videoOutput = try muxer.addVideoStream(encoder: encoder, source: video)
    var copiedStreams: [Int: Int] = [:]
    var sensorTextStreams: Set<Int> = []
    var dropped: [Sidecar.DroppedStream] = []
    for stream in demuxer.streams where stream.index != video.index {
      if stream.kind == .audio, options.keepAudio {
        copiedStreams[stream.index] = try muxer.addCopiedStream(from: demuxer, source: stream)
      } else if stream.kind == .subtitle, sensorPolicy != nil, StageEmbeddedSensor.readsSubtitles(codec: stream.codecName) {
        sensorTextStreams.insert(stream.index)
        dropped.append(.init(index: stream.index, kind: "subtitle", codec: stream.codecName,
                             reason: "read as NMEA by the sensor policy; not copied"))
      } else {
        dropped.append(.init(index: stream.index, kind: "\(stream.kind)", codec: stream.codecName,
                             reason: stream.kind == .audio ? "audio is dropped unless --keep-audio" : "only the video stream is kept"))
      }
    }
    let detectionLog = try job.detectionsLog.map { try DetectionLog(url: $0) }
    let embedded = try StageEmbeddedSensor(policy: sensorPolicy, output: job.output)
    try muxer.begin()

    var encodedFrames = 0, audioPackets = 0
    let timer = StageTimer()
    let lookAhead = makeLookAhead(video: video, detect: detect, redact: redact, log: detectionLog)
    let packet = Packet(), encoded = Packet()
    let expectedFrames = video.declaredFrameCount > 0 ? Int(video.declaredFrameCount)
      : video.duration.map { Int(($0 * video.frameRate.doubleValue).rounded()) }
    progress.started(input: job.name, expectedFrames: expectedFrames)

    func drainEncoder() throws {
      while try timer.measure("encode", { try encoder.receive(into: encoded) }) == .packet {
        try timer.measure("mux") { try muxer.write(encoded, toStream: videoOutput) }
      }
    }

    func encode(_ redacted: consuming RedactedFrame) throws {
      let started = StageTimer.now()
      try encoder.send(redacted)
      timer.stop("encode", startedAt: started)
      try drainEncoder()
      encodedFrames += 1
      progress.advanced(frames: encodedFrames, elapsed: Date().timeIntervalSince(runStarted))
    }

    func process(_ frame: consuming DecodedFrame) throws {
      guard frame.width == video.width, frame.height == video.height else {
        throw BlindspotError(.badInput, subject: job.name,
                             reason: "the frame size changes mid-stream (\(video.width)×\(video.height) → \(frame.width)×\(frame.height)); not supported")
      }
      try timer.measure("sensor") { try embedded.add(frame.unregisteredUserData, time: Double(frame.pts) * video.timeBase.doubleValue) }
      let started = StageTimer.now()
      let frame = try converter.convert(frame)
      timer.stop("convert", startedAt: started)
      try lookAhead.push(frame, timer: timer, emit: encode)
    }

    func drainDecoder() throws {
      while true {
        let started = StageTimer.now()
        guard let frame = try decoder.receive() else { break }
        timer.stop("decode", startedAt: started)
        try process(frame)
      }
    }

    while try demuxer.read(into: packet) == .packet {
      if packet.streamIndex == video.index {
        _ = try timer.measure("decode") { try decoder.send(packet) }  // corrupt packets are concealed, not fatal
        try drainDecoder()
      } else if let output = copiedStreams[packet.streamIndex] {
        try muxer.write(packet, toStream: output)
        audioPackets += 1
      } else if sensorTextStreams.contains(packet.streamIndex) {
        packet.withBytes { embedded.addSubtitle($0) }
      }
    }
    // Flush in order: decoder, look-ahead window, encoder, then the trailer.
    try decoder.sendEndOfStream()
    try drainDecoder()
    try lookAhead.finish(timer: timer, emit: encode)
    guard lookAhead.counts.frames > 0 else {
      throw BlindspotError(.badInput, subject: job.name, reason: "no video frame could be decoded (empty, truncated or corrupt stream)")
    }
    try encoder.sendEndOfStream()
    try drainEncoder()
    try muxer.finish()

    let elapsed = Date().timeIntervalSince(runStarted)
    let embeddedData = try embedded.finish()
    var counts = lookAhead.counts
    counts.audioPackets = audioPackets
    precondition(counts.frames == encodedFrames, "every frame that entered the window was encoded")
    var sidecar = Sidecar(
      input: .init(name: job.name, sha256: facts.sha256, bytes: facts.bytes),
      output: job.output.lastPathComponent,
      region: region,
      models: detect.models.map { .init(objectClass: $0.objectClass, id: $0.id, sha256: $0.sha256) },
      parameters: options,
      counts: counts,
      droppedStreams: dropped,
      embeddedData: embeddedData,
      timings: .init(wallSeconds: (elapsed * 1000).rounded() / 1000,
                     framesPerSecond: ((Double(counts.frames) / max(elapsed, 1e-9)) * 100).rounded() / 100,
                     stageMillisecondsPerFrame: timer.millisecondsPerFrame(frames: counts.frames)))
    // Video first, then the audit log, then the sidecar: a sidecar implies a complete output.
    if muxer.writesFile {  // the null muxer (evaluation) writes nothing
      try outputFile.commit()
      sidecar.outputSHA256 = try FileDigest.of(job.output).sha256
    }
    try detectionLog?.commit()
    try embedded.commit()
    if let input = job.file {
      sidecar.companions = try StageCompanionFiles.run(input: input, output: job.output, policy: sensorPolicy)
    }
    try AtomicFile.write(sidecar.encoded(), to: Sidecar.url(for: job.output))
    progress.finished(frames: counts.frames, elapsed: elapsed)
    return sidecar
  }

  /// Sizes the look-ahead window and the tracker's reach from seconds to this stream's frames.
  private func makeLookAhead(video: StreamInfo, detect: StageDetect, redact: StageRedact, log: DetectionLog?) -> StageLookAhead {
    let fps = video.frameRate.isValid ? video.frameRate.doubleValue : 30
    var tracking = TrackerConfiguration()
    tracking.maxAge = max(1, Int((options.trackKeepAliveSeconds * fps).rounded(.up)))
    tracking.pixelReachPerFrame = 0.02 * Double(max(video.width, video.height)) * 30 / max(fps, 1)
    let window = max(options.detectEvery, Int((options.lookAheadSeconds * fps).rounded(.up)), 1)
    return StageLookAhead(
      settings: .init(detectEvery: options.detectEvery, window: window, margins: options.margins,
                      onDetectorError: options.onDetectorError, timeBase: video.timeBase.doubleValue),
      detect: detect, redact: redact, tracker: Tracker(configuration: tracking),
      sceneCuts: SceneCutDetector(threshold: options.sceneCutThreshold, maximumGap: max(1, 10 / fps)),
      log: log)
  }
}
