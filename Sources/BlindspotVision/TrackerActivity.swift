/// How busy the tracked scene is at one frame: what an adaptive detection cadence needs to decide
/// how soon to look again.
public struct TrackerActivity: Sendable, Equatable {
  /// Tracks detected within the keep-alive time and not ended by a cut.
  public var liveTracks = 0
  /// Live tracks seen only once, their motion still unknown, whose detection scored at least the
  /// `newTrackScore` asked for.
  public var newTracks = 0
  /// The fastest live track's speed in its own box sizes per frame, along each axis apart: a
  /// wide plate sliding sideways by a few pixels has not moved out from under its box. Only
  /// tracks whose best detection scored at least the `movingTrackScore` asked for count.
  public var fastestRelativeSpeed = 0.0

  public init(liveTracks: Int = 0, newTracks: Int = 0, fastestRelativeSpeed: Double = 0) {
    self.liveTracks = liveTracks
    self.newTracks = newTracks
    self.fastestRelativeSpeed = fastestRelativeSpeed
  }
}

extension Tracker {
  /// The activity of the tracks alive at `frame` (call right after `update(frame:detections:)`).
  /// A track seen once counts as new only when its detection scored at least `newTrackScore`; a
  /// track's speed counts only when one of its detections scored at least `movingTrackScore`.
  public func activity(at frame: Int, newTrackScore: Double = 0, movingTrackScore: Double = 0) -> TrackerActivity {
    var activity = TrackerActivity()
    for track in liveTracks(at: frame) {
      activity.liveTracks += 1
      if track.observations.count < 2 {
        if track.last.score >= newTrackScore { activity.newTracks += 1 }
        continue
      }
      guard track.bestScore >= movingTrackScore else { continue }
      let box = track.last.box
      let relative = max(abs(track.velocity.x) / max(1, box.width), abs(track.velocity.y) / max(1, box.height))
      activity.fastestRelativeSpeed = max(activity.fastestRelativeSpeed, relative)
    }
    return activity
  }
}
