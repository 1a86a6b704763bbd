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
  /// Mean absolute difference (0–255) between the last two thumbnails: how fast the scene changes.
  private(set) var lastChange = 0.0

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
    lastChange = 0
    guard let previous, let previousTime, previous.count == thumbnail.count, !thumbnail.isEmpty else { return false }
    var total = 0
    for index in thumbnail.indices { total += abs(Int(thumbnail[index]) - Int(previous[index])) }
    lastChange = Double(total) / Double(thumbnail.count)
    if abs(time - previousTime) > maximumGap { return true }
    return lastChange > threshold
  }
}
