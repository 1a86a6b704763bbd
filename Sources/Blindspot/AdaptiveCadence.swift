/// When the adaptive detection cadence looks again (`AnonymizeOptions.adaptiveCadence`).
///
/// Between two detections the tracker carries every box along its motion and the look-ahead
/// reaches back from each new detection, so how soon the detectors must run again depends on
/// how much can change meanwhile. The cadence detects sooner than `detectEvery` when the scene
/// changes fast (the camera moves, a cut) or a track moves fast, at `detectEvery` when objects are
/// many or new, and later, up to `maximumSeconds`, when the scene is static or empty.
public struct AdaptiveCadence: Sendable, Codable, Equatable {
  /// Fewest frames between two detections (a scene cut is always detected on at once).
  public var minimumEvery = 2
  /// Most time between two detections in a calm scene, in seconds; never more frames than the
  /// look-ahead window holds or the keep-alive spans.
  public var maximumSeconds = 1.0 / 3
  /// Scene change, summed since the last detection (mean absolute difference of consecutive
  /// 32×18 gray thumbnails, 0–255), after which the detectors look again.
  public var sceneChangeBudget = 12.0
  /// How far the fastest track may move between two detections, in its own box sizes (about the
  /// face margin, so a box placed by the tracker stays over its object).
  public var motionBudget = 0.25
  /// Tracks at once from which objects count as many: no stretching beyond `detectEvery`.
  public var manyObjects = 6
  /// A track seen once holds the cadence at `detectEvery` (its motion is unknown) only when its
  /// detection scored at least this. One-off low-score boxes on plate-like texture otherwise kept
  /// the detectors at every 3rd frame on still scenes: 0.72 instead of 0.51 calls per frame on
  /// the bench sample, with the same leak rates on the evaluation set. nil: every new track counts
  /// (what sidecars written before this setting existed did).
  public var newTrackScore: Double? = 0.5
  /// A track's motion counts for `motionBudget` only once one of its detections scored at least
  /// this. Near-threshold plate boxes on faces, suits and signs (0.40–0.50 at the 1440 px plate
  /// size) come and go and pair up across a frame into tracks that seem to jump a box width per
  /// frame, and held the detectors at every 2nd frame on the bench sample. They are still tracked
  /// and redacted; they only no longer decide when to look again. nil: every track counts (what
  /// sidecars written before this setting existed did).
  public var movingTrackScore: Double? = 0.5

  public init() {}
}
