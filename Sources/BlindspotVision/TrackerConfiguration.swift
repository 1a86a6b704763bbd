/// How detections become tracks, and tracks become boxes on frames no detector looked at.
/// All durations are in frames; the pipeline converts from seconds with the stream's frame rate.
public struct TrackerConfiguration: Sendable, Codable, Equatable {
  /// A detection continues a track when it overlaps the track's predicted box by this IoU…
  public var matchIoU = 0.1
  /// …or when its centre is within this many predicted-box diagonals (small, fast objects
  /// barely overlap from one detection to the next)…
  public var matchDistance = 0.75
  /// …plus this many diagonals per frame between the two detections, for a track whose motion
  /// is not known yet (one detection so far): detecting every k-th frame, a pedestrian close to
  /// the camera moves more than its own width between two looks.
  public var unknownMotionReach = 0.25
  /// The same allowance for tracks whose motion is known (the prediction absorbs most of it).
  public var knownMotionReach = 0.1
  /// A floor for the allowance in pixels per frame, whatever the object's size: a small face
  /// close to a side camera crosses its own width in one frame. The pipeline sets it from the
  /// frame size and rate (2% of the long side per thirtieth of a second).
  public var pixelReachPerFrame = 0.0
  /// A detection reached by distance alone (no overlap) must also be of the track's size: its
  /// width and height each within this factor of the predicted box's. Reach is generous, so a
  /// small track could otherwise take over another object far away, sweeping interpolated boxes
  /// across the frame and leaving that object without the backfill its own track would give.
  public var maxSizeChangeByDistance = 2.0
  /// Frames a track is still redacted after its last detection, extrapolated along its motion;
  /// the same reach applies backwards, before its first detection.
  public var maxAge = 15
  /// Growth of a box per frame of distance from the nearest detection, as a fraction of its size:
  /// the further from an observation, the less certain the position.
  public var growthPerFrame = 0.02
  /// Extra margin, in pixels per frame of distance, for each pixel per frame of track speed.
  public var speedMargin = 0.5
  /// Gain of the α-β filter on velocity: 1 trusts the newest observation only, 0 never updates.
  public var velocityGain = 0.5
  /// Detections under their class's start score that overlap one another on this many detector
  /// runs in a row start a track after all, reaching back to the first of them: a heavily
  /// blurred plate can score under the threshold on every frame, while what a weak box finds by
  /// chance seldom comes back in the same place on every run. A class not listed: never.
  public var weakConfirmations: [ObjectClass: Int] = [:]

  public init() {}
}
