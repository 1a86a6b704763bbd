import BlindspotVision

/// Decides, frame by frame, whether the detectors run: every `every` frames (fixed), or by the
/// adaptive rules of `AdaptiveCadence`. Scene cuts are always detected on (the caller decides).
///
/// Pure bookkeeping, no clock: the same input frames give the same decisions.
struct DetectionCadence {
  let every: Int
  let adaptive: AdaptiveCadence?
  /// Most frames between detections: `every`, stretched by the adaptive mode up to its maximum
  /// but never beyond `limit` (the look-ahead window and the tracker's keep-alive).
  let longest: Int

  private var framesSinceDetection = Int.max
  private var changeSinceDetection = 0.0
  private var activity = TrackerActivity()

  init(every: Int, adaptive: AdaptiveCadence?, framesPerSecond: Double, limit: Int) {
    self.every = max(1, every)
    self.adaptive = adaptive
    if let adaptive {
      let stretched = Int((adaptive.maximumSeconds * framesPerSecond).rounded(.down))
      longest = max(self.every, min(stretched, limit))
    } else {
      longest = self.every
    }
  }

  /// Whether to detect on the next frame, whose thumbnail differs by `sceneChange` (0–255) from
  /// the frame before it.
  mutating func shouldDetect(sceneChange: Double) -> Bool {
    guard framesSinceDetection != .max else { return true }  // the first frame
    framesSinceDetection += 1
    changeSinceDetection += sceneChange
    guard let adaptive else { return framesSinceDetection >= every }
    let frames = framesSinceDetection
    if frames >= longest { return true }
    if frames < min(adaptive.minimumEvery, every) { return false }
    if changeSinceDetection >= adaptive.sceneChangeBudget { return true }
    if activity.fastestRelativeSpeed * Double(frames) >= adaptive.motionBudget { return true }
    if frames >= every, activity.newTracks > 0 || activity.liveTracks >= adaptive.manyObjects { return true }
    return false
  }

  /// The detectors ran on this frame; `activity` is the tracker's state after it.
  mutating func detected(activity: TrackerActivity) {
    framesSinceDetection = 0
    changeSinceDetection = 0
    self.activity = activity
  }
}
