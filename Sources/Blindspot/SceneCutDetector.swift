/// Tells when consecutive frames stop being the same scene — a cut in an edited clip, a camera
/// switch, a gap in a recording — so that no track is carried from one scene into the next.
///
/// Compares 32×18 grayscale thumbnails: the mean absolute difference between frames of one
/// moving dashcam scene stays well below the threshold; a cut jumps far above it. A jump in
/// timestamps (a gap in the recording) counts as a cut too.
struct SceneCutDetector {
  static let thumbnailWidth = 32
  static let thumbnailHeight = 18

  /// Mean absolute difference (0–255) above which two frames are different scenes.
  var threshold: Double
  /// A timestamp gap longer than this, in seconds, is a discontinuity.
  var maximumGap: Double
  private var previous: [UInt8]?
  private var previousTime: Double?

  init(threshold: Double, maximumGap: Double) {
    self.threshold = threshold
    self.maximumGap = maximumGap
  }

  /// Whether the frame with this thumbnail and time starts a new scene (never the first frame).
  mutating func isCut(thumbnail: [UInt8], time: Double) -> Bool {
    defer {
      previous = thumbnail
      previousTime = time
    }
    guard let previous, let previousTime, previous.count == thumbnail.count, !thumbnail.isEmpty else { return false }
    if abs(time - previousTime) > maximumGap { return true }
    var total = 0
    for index in thumbnail.indices { total += abs(Int(thumbnail[index]) - Int(previous[index])) }
    return Double(total) / Double(thumbnail.count) > threshold
  }
}
