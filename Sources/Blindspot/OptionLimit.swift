/// The detection settings a user may give, checked in one place, so that the command line and the
/// service configuration refuse the same values with the same words (each names its own flag or key).
public enum OptionLimit: Sendable {
  /// The long side of a detector's image, in pixels.
  case detectionSize
  /// The plate detector's largest enlargement of a small frame.
  case plateEnlargement
  /// The N of an N×N tile grid.
  case tiles
  /// The fraction of a threshold down to which detections continue a track.
  case scoreHysteresis
  /// A box's margin, as a fraction of its size on each side.
  case margin
  /// A detector's score threshold.
  case scoreThreshold
  /// The look-ahead or a track's keep-alive, in seconds.
  case trackSeconds
  /// The detector runs on which weak detections must recur to start a track.
  case weakConfirmations

  /// Why `value` is refused ("must be at least 64"), or nil when it is accepted.
  public func problem(with value: Double) -> String? {
    switch self {
    case .detectionSize: value >= 64 ? nil : "must be at least 64"
    case .plateEnlargement: (1...4).contains(value) ? nil : "takes 1 (never) to 4"
    case .tiles: (1...4).contains(value) ? nil : "takes 1 (off) to 4"
    case .scoreHysteresis: value > 0 && value <= 1 ? nil : "is a fraction above 0, at most 1"
    case .margin: (0...2).contains(value) ? nil : "is a fraction between 0 and 2"
    case .scoreThreshold: (0...1).contains(value) ? nil : "is a score between 0 and 1"
    case .trackSeconds: (0...10).contains(value) ? nil : "takes 0 to 10 seconds"
    case .weakConfirmations:
      (0...10).contains(value) && value == value.rounded() ? nil : "takes a whole number of detector runs, 0 (never) to 10"
    }
  }
}
