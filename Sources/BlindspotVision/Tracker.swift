/// A redaction box the tracker places on a frame, and how it got there.
public struct TrackedBox: Sendable, Equatable {
  public enum Source: String, Sendable, Codable {
    /// A detection on this very frame.
    case detected
    /// Between two detections of the same track.
    case interpolated
    /// After the track's last detection, along its motion.
    case extrapolated
    /// Before the track's first detection, reached back from it (the look-ahead window).
    case backfilled
  }

  public var trackID: Int
  public var objectClass: ObjectClass
  /// In frame pixels, grown for uncertainty; class margins are not applied yet.
  public var box: Box
  /// The score of the nearest detection of the track.
  public var score: Double
  public var source: Source
}

/// Follows detected objects across frames so that every frame an object is on gets a box,
/// including frames no detector ran on, frames where the detector missed it, and frames before
/// it was first detected that are still waiting in the look-ahead window.
///
/// Association: each detection continues the track whose constant-velocity prediction it
/// overlaps best (IoU), or whose centre it is closest to (small fast objects), greedily, per class.
/// Motion: an α-β filter on centre and size velocity (a steady-state Kalman filter).
///
/// Not thread-safe; owned by one pipeline.
public final class Tracker {
  public let configuration: TrackerConfiguration
  private var tracks: [Track] = []
  private var nextID = 1
  private var sceneStart = Int.min

  public init(configuration: TrackerConfiguration = TrackerConfiguration()) {
    self.configuration = configuration
  }

  /// Number of tracks currently held (alive or still needed by buffered frames).
  public var trackCount: Int { tracks.count }

  /// Adds the detections (frame pixels, no margin) found on `frame`. Frames must come in order.
  /// A detection scoring below its class's `startScores` entry, or one its detector's verifier
  /// turned down (`Detection.verified`), only continues a track; unmatched, it is dropped, or,
  /// where its class has `weakConfirmations`, starts a tentative track that
  /// redacts nothing until it has recurred that often or a detection over the start score joins
  /// it. Returns the detections kept: those of tracks that redact.
  @discardableResult
  public func update(frame: Int, detections: [Detection], startScores: [ObjectClass: Double] = [:]) -> [Detection] {
    let live = tracks.filter { $0.notAfter == nil && frame - $0.last.frame <= configuration.maxAge && $0.last.frame < frame }
    // Weak: below the class's start score. Such a detection must overlap a track where it is
    // expected: reached by distance alone, it would take over another object that is just
    // appearing, whose own track (and backfill) a later strong detection would otherwise start.
    // A tentative track, itself made of weak boxes, is likewise reached by overlap only.
    // A box the detector's verifier turned down is weak too, whatever its score.
    let weak = detections.map { $0.score < startScores[$0.objectClass] ?? 0 || $0.verified == false }
    var pairs: [(track: Track, detection: Int, iou: Double, distance: Double)] = []
    for track in live {
      let predicted = track.predicted(at: frame)
      let diagonal = max(1, (predicted.width * predicted.width + predicted.height * predicted.height).squareRoot())
      let reach = track.observations.count == 1 ? configuration.unknownMotionReach : configuration.knownMotionReach
      let gap = Double(frame - track.last.frame)
      let gate = max(configuration.matchDistance + reach * gap, configuration.pixelReachPerFrame * gap / diagonal)
      for (index, detection) in detections.enumerated() where detection.objectClass == track.objectClass {
        let iou = predicted.iou(detection.box)
        let dx = predicted.centerX - detection.box.centerX, dy = predicted.centerY - detection.box.centerY
        let distance = (dx * dx + dy * dy).squareRoot() / diagonal
        let reachable = !weak[index] && track.isConfirmed && distance <= gate && isSimilarSize(detection.box, predicted)
        if iou >= configuration.matchIoU || reachable {
          pairs.append((track, index, iou, distance))
        }
      }
    }
    pairs.sort { $0.iou != $1.iou ? $0.iou > $1.iou : $0.distance < $1.distance }
    var usedTracks = Set<Int>(), usedDetections = Set<Int>(), kept: [Int] = []
    for pair in pairs where !usedTracks.contains(pair.track.id) && !usedDetections.contains(pair.detection) {
      usedTracks.insert(pair.track.id)
      usedDetections.insert(pair.detection)
      let detection = detections[pair.detection]
      pair.track.append(.init(frame: frame, box: detection.box, score: detection.score), gain: configuration.velocityGain)
      if !weak[pair.detection] { pair.track.hasConfidentDetection = true }
      if pair.track.hasConfidentDetection || isRecurring(pair.track.objectClass, detections: pair.track.detectionCount) {
        pair.track.isConfirmed = true
      }
      if pair.track.isConfirmed { kept.append(pair.detection) }
    }
    // Tentative tracks recur on every detector run or not at all.
    tracks.removeAll { !$0.isConfirmed && !usedTracks.contains($0.id) }
    for (index, detection) in detections.enumerated() where !usedDetections.contains(index) {
      let confident = !weak[index]
      guard confident || configuration.weakConfirmations[detection.objectClass, default: 0] > 0 else { continue }
      let track = Track(id: nextID, objectClass: detection.objectClass,
                        first: .init(frame: frame, box: detection.box, score: detection.score), notBefore: sceneStart,
                        confident: confident)
      track.isConfirmed = confident || isRecurring(detection.objectClass, detections: 1)
      tracks.append(track)
      nextID += 1
      if track.isConfirmed { kept.append(index) }
    }
    return kept.sorted().map { detections[$0] }
  }

  /// Whether a tentative track of `objectClass` detected `detections` times in a row may redact.
  private func isRecurring(_ objectClass: ObjectClass, detections: Int) -> Bool {
    let needed = configuration.weakConfirmations[objectClass, default: 0]
    return needed > 0 && detections >= needed
  }

  /// Whether `box` is within `maxSizeChangeByDistance` of `predicted` in width and in height.
  private func isSimilarSize(_ box: Box, _ predicted: Box) -> Bool {
    let limit = configuration.maxSizeChangeByDistance
    func similar(_ a: Double, _ b: Double) -> Bool { max(a, b) <= limit * max(min(a, b), 1) }
    return similar(box.width, predicted.width) && similar(box.height, predicted.height)
  }

  /// Tracks with a confident detection, detected within `maxAge` frames before `frame` and not
  /// ended by a cut. Tracks of weak boxes alone, even confirmed by recurring, are redacted but do
  /// not steer the cadence: the detectors look no more often for what they are unsure of.
  func liveTracks(at frame: Int) -> [Track] {
    tracks.filter { $0.hasConfidentDetection && $0.notAfter == nil && frame - $0.last.frame <= configuration.maxAge }
  }

  /// A scene cut or stream discontinuity at `frame`: no track crosses it in either direction.
  public func cut(at frame: Int) {
    for track in tracks where track.notAfter == nil { track.notAfter = frame - 1 }
    sceneStart = frame
  }

  /// The boxes to redact on `frame`. Call after `update` has seen every detection the look-ahead
  /// window holds beyond `frame`.
  public func boxes(at frame: Int) -> [TrackedBox] {
    let maxAge = configuration.maxAge
    return tracks.compactMap { track -> TrackedBox? in
      guard track.isConfirmed, frame >= track.notBefore, frame <= (track.notAfter ?? .max) else { return nil }
      let (before, after) = track.neighbours(of: frame)
      let box: Box, score: Double, distance: Int, speed: Double, source: TrackedBox.Source
      switch (before, after) {
      case let (before?, after?) where before.frame == after.frame:
        (box, score, distance, speed, source) = (before.box, before.score, 0, 0, .detected)
      case let (before?, after?):
        let t = Double(frame - before.frame) / Double(after.frame - before.frame)
        let gap = min(frame - before.frame, after.frame - frame)
        let velocity = BoxVelocity.between(before.box, after.box, frames: after.frame - before.frame)
        (box, score, distance, speed, source) = (before.box.interpolated(to: after.box, at: t), max(before.score, after.score),
                                                 gap, velocity.speed, .interpolated)
      case let (before?, nil):
        let gap = frame - before.frame
        guard gap <= maxAge else { return nil }
        (box, score, distance, speed, source) = (before.box.moved(track.velocity, frames: Double(gap)), before.score, gap,
                                                 track.velocity.speed, .extrapolated)
      case let (nil, after?):
        let gap = after.frame - frame
        guard gap <= maxAge else { return nil }
        let velocity = track.initialVelocity
        (box, score, distance, speed, source) = (after.box.moved(velocity, frames: -Double(gap)), after.score, gap,
                                                 velocity.speed, .backfilled)
      case (nil, nil):
        return nil
      }
      let grown = box.padded(fraction: configuration.growthPerFrame * Double(distance),
                             pixels: configuration.speedMargin * speed * Double(distance))
      return TrackedBox(trackID: track.id, objectClass: track.objectClass, box: grown, score: score, source: source)
    }
  }

  /// Frees what no frame at or after `frame` can need: old observations and finished tracks.
  public func forget(before frame: Int) {
    let maxAge = configuration.maxAge
    tracks.removeAll { track in
      if let end = track.notAfter, end < frame { return true }
      return track.last.frame + maxAge < frame
    }
    for track in tracks { track.forget(before: frame) }
  }
}
