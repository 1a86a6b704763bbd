import BlindspotFiles
import BlindspotMedia
import BlindspotSensor
import BlindspotStore
import BlindspotVision
import Foundation

/// One anonymization of one input: sets the pipeline up, runs its stages on their own threads,
/// and writes the results. The stage graph, drawn once here:
///
/// ```
///  StageDecode ──[frames]──► StageLookAhead ──[redacted frames]──► StageEncode
///  demux, decode,            scene cuts, detect (cadence),         encode (x264 threads),
///  telemetry, convert        track, wait, redact                   mux into the temporary file
/// ```
///
/// Each stage runs on a dedicated thread (blocking C calls stay off Swift's cooperative pool) and
/// owns its C handles; frames move between stages through `BoundedQueue`s of `queueCapacity`
/// frames, so a fast stage waits for a slow one and nothing buffers without bound. The first
/// stage to fail records its error and cancels every queue (`PipelineControl`); the others stop,
/// the run waits for all of them, throws that first error and leaves no output (invariant 5).
///
/// Memory: at most `queueCapacity` decoded frames per queue plus the look-ahead window.
struct AnonymizeRun {
  /// Frames each queue between two stages holds: enough to absorb the jitter of a detector
  /// call against the encoder; more would only hold more memory.
  static let queueCapacity = 4

  let anonymizer: Anonymizer
  let job: AnonymizeJob
  private var options: AnonymizeOptions { anonymizer.options }

  func perform() throws -> Sidecar {
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
      detectors: try anonymizer.detectors.makeDetectors(for: options.classes, frameWidth: video.width, frameHeight: video.height),
      tiles: options.tiles)
    let redact = StageRedact(redactor: Redactor(style: options.style))

    // Encode and mux, into a temporary file next to the final one.
    let outputFile = AtomicFile(finalURL: job.output)
    defer { outputFile.discard() }  // a no-op once committed
    let muxer = try Muxer(path: outputFile.temporaryURL.path, format: options.format, formatHint: job.output.lastPathComponent)
    let writesFile = muxer.writesFile  // the null muxer (evaluation, bench) writes nothing
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
      } else if stream.kind == .subtitle, anonymizer.sensorPolicy != nil, StageEmbeddedSensor.readsSubtitles(codec: stream.codecName) {
        sensorTextStreams.insert(stream.index)
        dropped.append(.init(index: stream.index, kind: "subtitle", codec: stream.codecName,
                             reason: "read as NMEA by the sensor policy; not copied"))
      } else {
        dropped.append(.init(index: stream.index, kind: "\(stream.kind)", codec: stream.codecName,
                             reason: stream.kind == .audio ? "audio is dropped unless --keep-audio" : "only the video stream is kept"))
      }
    }
    let detectionLog = try job.detectionsLog.map { try DetectionLog(url: $0) }
    let embedded = try StageEmbeddedSensor(policy: anonymizer.sensorPolicy, output: job.output)
    try muxer.begin()

    let expectedFrames = video.declaredFrameCount > 0 ? Int(video.declaredFrameCount)
      : video.duration.map { Int(($0 * video.frameRate.doubleValue).rounded()) }
    anonymizer.progress.started(input: job.name, expectedFrames: expectedFrames)

    // Important: from here on each stage object belongs to its thread; this thread touches them
    // again only after `join()`.
    let decodeStage = StageDecode(subject: job.name, demuxer: demuxer, decoder: decoder, video: video, converter: converter,
                                  embedded: embedded, copiedStreams: copiedStreams, sensorTextStreams: sensorTextStreams)
    let lookAhead = makeLookAhead(video: video, detect: detect, redact: redact, log: detectionLog)
    let lookAheadTimer = StageTimer()
    let encodeStage = StageEncode(encoder: encoder, muxer: muxer, videoOutput: videoOutput, progress: anonymizer.progress,
                                  started: runStarted)
    try runStages(decode: decodeStage, lookAhead: lookAhead, lookAheadTimer: lookAheadTimer, encode: encodeStage)

    let elapsed = Date().timeIntervalSince(runStarted)
    let embeddedData = try embedded.finish()
    var counts = lookAhead.counts
    counts.audioPackets = decodeStage.copiedPackets
    precondition(counts.frames == encodeStage.encodedFrames, "every frame that entered the window was encoded")
    let timer = StageTimer()
    for stageTimer in [decodeStage.timer, lookAheadTimer, encodeStage.timer] { timer.merge(stageTimer) }
    var sidecar = Sidecar(
      input: .init(name: job.name, sha256: facts.sha256, bytes: facts.bytes, etag: job.sourceETag),
      output: job.output.lastPathComponent,
      region: anonymizer.region,
      models: detect.models.map { .init(objectClass: $0.objectClass, id: $0.id, sha256: $0.sha256) },
      parameters: options,
      counts: counts,
      droppedStreams: dropped,
      embeddedData: embeddedData,
      timings: .init(wallSeconds: (elapsed * 1000).rounded() / 1000,
                     framesPerSecond: ((Double(counts.frames) / max(elapsed, 1e-9)) * 100).rounded() / 100,
                     stageMillisecondsPerFrame: timer.millisecondsPerFrame(frames: counts.frames)))
    // Video first, then the audit log, then the sidecar: a sidecar implies a complete output.
    if writesFile {
      try outputFile.commit()
      sidecar.outputSHA256 = try FileDigest.of(job.output).sha256
    }
    try detectionLog?.commit()
    sidecar.embeddedData.sha256 = try embedded.commit()
    if let input = job.file {
      sidecar.companions = try StageCompanionFiles.run(input: input, output: job.output, policy: anonymizer.sensorPolicy)
    }
    try AtomicFile.write(sidecar.encoded(), to: Sidecar.url(for: job.output))
    anonymizer.progress.finished(frames: counts.frames, elapsed: elapsed)
    return sidecar
  }

  /// Starts the three stage threads, waits for all of them, and throws the first error any of
  /// them threw.
  private func runStages(decode: StageDecode, lookAhead: StageLookAhead, lookAheadTimer: StageTimer,
                         encode: StageEncode) throws {
    let control = PipelineControl()
    let decoded = BoundedQueue<StageDecode.Item>(capacity: Self.queueCapacity)
    let redacted = BoundedQueue<StageEncode.Item>(capacity: Self.queueCapacity)
    control.watch(decoded)
    control.watch(redacted)
    let subject = job.name
    let decodeStage = StageHandoff(value: decode)
    let lookAheadStage = StageHandoff(value: (lookAhead, lookAheadTimer))
    let encodeStage = StageHandoff(value: encode)
    let threads = [
      StageThread(name: "blindspot.decode") { control.runStage { try decodeStage.value.run(into: decoded) } },
      StageThread(name: "blindspot.detect") {
        control.runStage {
          try lookAheadStage.value.0.run(from: decoded, into: redacted, timer: lookAheadStage.value.1, subject: subject)
        }
      },
      StageThread(name: "blindspot.encode") { control.runStage { try encodeStage.value.run(from: redacted) } },
    ]
    for thread in threads { thread.join() }
    if let error = control.firstError { throw error }
  }

  /// Sizes the look-ahead window, the detection cadence and the tracker's reach from seconds to
  /// this stream's frames.
  private func makeLookAhead(video: StreamInfo, detect: StageDetect, redact: StageRedact, log: DetectionLog?) -> StageLookAhead {
    let fps = video.frameRate.isValid ? video.frameRate.doubleValue : 30
    var tracking = TrackerConfiguration()
    tracking.maxAge = max(1, Int((options.trackKeepAliveSeconds * fps).rounded(.up)))
    tracking.pixelReachPerFrame = 0.02 * Double(max(video.width, video.height)) * 30 / max(fps, 1)
    tracking.weakConfirmations = options.weakConfirmations ?? [:]
    let window = max(options.detectEvery, Int((options.lookAheadSeconds * fps).rounded(.up)), 1)
    let cadence = DetectionCadence(every: options.detectEvery, adaptive: options.adaptiveCadence, framesPerSecond: fps,
                                   limit: min(window, tracking.maxAge))
    return StageLookAhead(
      settings: .init(cadence: cadence, window: window, margins: options.margins,
                      onDetectorError: options.onDetectorError, timeBase: video.timeBase.doubleValue),
      detect: detect, redact: redact, tracker: Tracker(configuration: tracking),
      sceneCuts: SceneCutDetector(threshold: options.sceneCutThreshold, maximumGap: max(1, 10 / fps)),
      log: log)
  }
}
