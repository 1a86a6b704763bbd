/// A box's motion per frame: centre, and size.
struct BoxVelocity: Equatable {
  var x = 0.0, y = 0.0, width = 0.0, height = 0.0

  static func between(_ a: Box, _ b: Box, frames: Int) -> BoxVelocity {
    let n = Double(max(1, frames))
    return BoxVelocity(x: (b.centerX - a.centerX) / n, y: (b.centerY - a.centerY) / n,
                       width: (b.width - a.width) / n, height: (b.height - a.height) / n)
  }

  var speed: Double { (x * x + y * y).squareRoot() }
}

extension Box {
  /// The box moved `frames` frames along `velocity` (negative: backwards in time).
  func moved(_ velocity: BoxVelocity, frames: Double) -> Box {
    let width = max(1, self.width + velocity.width * frames), height = max(1, self.height + velocity.height * frames)
    return Box(x: centerX + velocity.x * frames - width / 2, y: centerY + velocity.y * frames - height / 2,
               width: width, height: height)
  }

  /// Linear interpolation between two boxes (t = 0 → self, t = 1 → other).
  func interpolated(to other: Box, at t: Double) -> Box {
    Box(x: x + (other.x - x) * t, y: y + (other.y - y) * t,
        width: width + (other.width - width) * t, height: height + (other.height - height) * t)
  }

  /// Grown by `fraction` of its size and `pixels` on every side.
  func padded(fraction: Double, pixels: Double) -> Box {
    let grown = expanded(by: fraction)
    return Box(x: grown.x - pixels, y: grown.y - pixels, width: grown.width + 2 * pixels, height: grown.height + 2 * pixels)
  }
}

/// One object followed across frames: its detections in order, and its motion.
final class Track {
  struct Observation {
    var frame: Int
    var box: Box
    var score: Double
  }

  let id: Int
  let objectClass: ObjectClass
  /// Frames before this one belong to another scene: the track never reaches back past it.
  let notBefore: Int
  /// Set at a scene cut: the track never reaches forward past it.
  var notAfter: Int?
  private(set) var observations: [Observation]
  /// The best score of any detection of the track, including observations already forgotten.
  private(set) var bestScore: Double
  /// Filtered velocity, for prediction forwards.
  private(set) var velocity = BoxVelocity()
  /// Detections of the track so far, including observations already forgotten.
  private(set) var detectionCount = 1
  /// False while the track holds weak detections only and has not recurred often enough to be
  /// believed (`TrackerConfiguration.weakConfirmations`): it is followed but redacts nothing.
  var isConfirmed: Bool
  /// Whether any detection of the track scored over its class's start score.
  var hasConfidentDetection: Bool

  /// A track started by a weak detection (`confident` false) is tentative until confirmed.
  init(id: Int, objectClass: ObjectClass, first: Observation, notBefore: Int, confident: Bool = true) {
    self.id = id
    self.objectClass = objectClass
    self.observations = [first]
    self.bestScore = first.score
    self.notBefore = notBefore
    self.isConfirmed = confident
    self.hasConfidentDetection = confident
  }

  var last: Observation { observations[observations.count - 1] }

  /// Where the track is expected at `frame`, from its last observation and velocity.
  func predicted(at frame: Int) -> Box { last.box.moved(velocity, frames: Double(frame - last.frame)) }

  func append(_ observation: Observation, gain: Double) {
    let observed = BoxVelocity.between(last.box, observation.box, frames: observation.frame - last.frame)
    if observations.count == 1 {
      velocity = observed
    } else {
      velocity = BoxVelocity(x: velocity.x + gain * (observed.x - velocity.x), y: velocity.y + gain * (observed.y - velocity.y),
                             width: velocity.width + gain * (observed.width - velocity.width),
                             height: velocity.height + gain * (observed.height - velocity.height))
    }
    observations.append(observation)
    detectionCount += 1
    bestScore = max(bestScore, observation.score)
  }

  /// The motion at the track's start, for reaching backwards before its first detection.
  var initialVelocity: BoxVelocity {
    guard observations.count >= 2 else { return BoxVelocity() }
    return BoxVelocity.between(observations[0].box, observations[1].box, frames: observations[1].frame - observations[0].frame)
  }

  /// The last observation at or before `frame` and the first at or after it.
  func neighbours(of frame: Int) -> (before: Observation?, after: Observation?) {
    // Binary search for the first observation at or after `frame`.
    var low = 0, high = observations.count
    while low < high {
      let middle = (low + high) / 2
      if observations[middle].frame < frame { low = middle + 1 } else { high = middle }
    }
    let after = low < observations.count ? observations[low] : nil
    if let after, after.frame == frame { return (after, after) }
    return (low > 0 ? observations[low - 1] : nil, after)
  }

  /// Drops observations no frame at or after `frame` needs (keeps the last one before it).
  func forget(before frame: Int) {
    guard let keepFrom = observations.lastIndex(where: { $0.frame < frame }), keepFrom > 0 else { return }
    observations.removeFirst(keepFrom)
  }
}
