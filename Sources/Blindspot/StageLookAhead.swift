import BlindspotMedia
import BlindspotVision
import Foundation

/// Detect → track → wait → redact: the middle of the pipeline.
///
/// Each frame is detected on (every `detectEvery`-th frame, and on every scene cut) as it
/// arrives, then waits in a bounded window until the detector has looked at enough later
/// frames. Only then is it redacted, with the boxes the tracker places on it: detections of the
/// frame itself, boxes interpolated between detections, extrapolated after a track's last
/// detection, and backfilled before a track's first one. So an object first detected at frame t
/// is also hidden on the frames before t that the window still holds.
///
/// Fail closed: a frame whose own detection failed is masked whole, and so is every frame the
/// failed detection was responsible for (those after the last successful attempt and before the
/// next one), since nothing checked them.
///
/// Memory: at most `window` decoded frames are held (state the bytes as window × frame size).
/// Cadence: the detectors run on the frames `DetectionCadence` picks (every k-th, or adaptive)
/// and on every scene cut.
///
/// Not thread-safe: runs on its own stage thread and owns the detectors, the tracker and the
/// detection log until the run joins it.
final class StageLookAhead {
  /// Whether a detector looked at a frame, and how that went.
  enum Attempt { case notRun, succeeded, failed(VisionError) }

  struct Pending: ~Copyable {
    var frame: DecodedFrame
    let index: Int
    let pts: Int64
    var attempt: Attempt
  }

  struct Settings {
    var cadence: DetectionCadence
    var window: Int
    var margins: [ObjectClass: Double]
    var onDetectorError: AnonymizeOptions.DetectorFailurePolicy
    var timeBase: Double
  }

  private let settings: Settings
  private let detect: StageDetect
  private let redact: StageRedact
  private let tracker: Tracker
  private var sceneCuts: SceneCutDetector
  private let log: DetectionLog?
  private var queue: FrameQueue<Pending>
  private var cadence: DetectionCadence
  private let startScores: [ObjectClass: Double]
  /// Whether the last attempt among frames already emitted failed (frames after it are unchecked).
  private var lastEmittedAttemptFailed = false
  private(set) var counts = Sidecar.Counts()

  init(settings: Settings, detect: StageDetect, redact: StageRedact, tracker: Tracker, sceneCuts: SceneCutDetector,
       log: DetectionLog?) {
    precondition(settings.window >= settings.cadence.longest, "the window must reach the next detection")
    self.settings = settings
    self.detect = detect
    self.redact = redact
    self.tracker = tracker
    self.sceneCuts = sceneCuts
    self.log = log
    cadence = settings.cadence
    startScores = detect.startScores
    queue = FrameQueue(capacity: settings.window)
    counts.lookAheadFrames = settings.window
  }

  /// Takes a decoded frame; emits, in order, every frame that no longer needs to wait.
  func push(_ frame: consuming DecodedFrame, timer: StageTimer,
            emit: (consuming RedactedFrame) throws -> Void) throws {
    let index = counts.frames
    counts.frames += 1
    let pts = frame.pts
    let started = StageTimer.now()
    let thumbnail = try detect.scaler.thumbnail(of: frame, width: SceneCutDetector.thumbnailWidth,
                                                height: SceneCutDetector.thumbnailHeight)
    let isCut = sceneCuts.isCut(thumbnail: thumbnail, time: Double(pts) * settings.timeBase)
    timer.stop("scene", startedAt: started)
    if isCut {
      tracker.cut(at: index)
      counts.sceneCuts += 1
    }
    var attempt = Attempt.notRun
    let due = cadence.shouldDetect(sceneChange: sceneCuts.lastChange)
    if isCut || due {
      counts.detectedFrames += 1
      switch try detect.run(on: frame, timer: timer) {
      case .detected(let detections):
        attempt = .succeeded
        let kept = timer.measure("track") { tracker.update(frame: index, detections: detections, startScores: startScores) }
        for detection in kept { counts.detections[detection.objectClass, default: 0] += 1 }
      case .failed(let error):
        if settings.onDetectorError == .abort { throw error }
        attempt = .failed(error)
      }
      cadence.detected(activity: tracker.activity(at: index, newTrackScore: cadence.adaptive?.newTrackScore ?? 0,
                                                  movingTrackScore: cadence.adaptive?.movingTrackScore ?? 0))
    }
    if queue.isFull { try emitOldest(timer: timer, emit: emit) }
    queue.append(Pending(frame: frame, index: index, pts: pts, attempt: attempt))
    counts.peakWaitingFrames = max(counts.peakWaitingFrames, queue.count)
  }

  /// Runs the stage on its own thread: takes decoded frames from `input` until it finishes,
  /// hands redacted frames (and the packets passing through) to `output` in order, then finishes
  /// `output`. Throws `BlindspotError.badInput` when no frame came at all.
  func run(from input: BoundedQueue<StageDecode.Item>, into output: BoundedQueue<StageEncode.Item>, timer: StageTimer,
           subject: String) throws {
    let emit = { (frame: consuming RedactedFrame) throws in try output.push(.frame(frame)) }
    while let item = try input.pop() {
      switch consume item {
      case .frame(let frame): try push(frame, timer: timer, emit: emit)
      case .packet(let packet, let stream): try output.push(.packet(packet, stream: stream))
      }
    }
    try finish(timer: timer, emit: emit)
    guard counts.frames > 0 else {
      throw BlindspotError(.badInput, subject: subject, reason: "no video frame could be decoded (empty, truncated or corrupt stream)")
    }
    output.finish()
  }

  /// Emits every frame still waiting: the input ended.
  func finish(timer: StageTimer, emit: (consuming RedactedFrame) throws -> Void) throws {
    while !queue.isEmpty { try emitOldest(timer: timer, emit: emit) }
  }

  private func emitOldest(timer: StageTimer, emit: (consuming RedactedFrame) throws -> Void) throws {
    let nextAttemptFailed = nextAttemptFailedAfterOldest()
    let pending = queue.removeFirst()
    let index = pending.index, pts = pending.pts
    let mask: Bool
    switch pending.attempt {
    case .failed:
      mask = true
      lastEmittedAttemptFailed = true
    case .succeeded:
      mask = false
      lastEmittedAttemptFailed = false
    case .notRun:
      mask = lastEmittedAttemptFailed || nextAttemptFailed
    }
    let tracked: [TrackedBox] = mask ? [] : timer.measure("track") { tracker.boxes(at: index) }
    let boxes = tracked.map { box in
      var grown = box
      grown.box = box.box.expanded(by: settings.margins[box.objectClass] ?? 0)
      return grown
    }
    timer.measure("track") { tracker.forget(before: index + 1) }
    if mask { counts.maskedFrames += 1 }
    for box in boxes { counts.redactedBoxes[box.objectClass, default: 0] += 1 }
    try log?.record(frame: index, pts: pts, time: Double(pts) * settings.timeBase, boxes: boxes)
    let started = StageTimer.now()
    let redacted = try redact.run(pending.frame, boxes: boxes.map(\.box), maskWhole: mask)
    timer.stop("redact", startedAt: started)
    try emit(redacted)
  }

  /// Whether the first detection attempt after the oldest waiting frame failed.
  private func nextAttemptFailedAfterOldest() -> Bool {
    for offset in 1..<max(1, queue.count) {
      let outcome: Bool? = queue.withElement(at: offset) { pending in
        switch pending.attempt {
        case .notRun: nil
        case .succeeded: false
        case .failed: true
        }
      }
      if let outcome { return outcome }
    }
    return false
  }
}
