import BlindspotVision
import Testing

/// The tracker on synthetic motion with known truth: the thing under test is the geometry.
@Suite struct TrackerTests {
  /// A 40×50 face moving right and down at constant speed.
  func truth(at frame: Int) -> Box { Box(x: 100 + 6 * Double(frame), y: 80 + 2 * Double(frame), width: 40, height: 50) }

  func face(_ box: Box) -> Detection { Detection(objectClass: .face, box: box, score: 0.9) }

  /// The start score the weak-detection tests give faces, and a face box under it.
  let starts: [ObjectClass: Double] = [.face: 0.5]
  func weak(_ box: Box) -> Detection { Detection(objectClass: .face, box: box, score: 0.3) }

  /// A tracker whose weak face boxes start a track once they recur on `runs` detector runs.
  func makeTracker(confirmingWeakFacesAfter runs: Int) -> Tracker {
    var configuration = TrackerConfiguration()
    configuration.weakConfirmations = [.face: runs]
    return Tracker(configuration: configuration)
  }

  /// The share of `truth` covered by the union of `boxes` (approximated by the best single box,
  /// which is what matters for one object).
  func coverage(_ truth: Box, by boxes: [TrackedBox]) -> Double {
    boxes.map { $0.box.intersection(truth).area / truth.area }.max() ?? 0
  }

  @Test func anObjectDetectedEveryFifthFrameIsCoveredOnEveryFrameBetween() {
    let tracker = Tracker()
    for frame in stride(from: 0, through: 40, by: 5) { tracker.update(frame: frame, detections: [face(truth(at: frame))]) }
    for frame in 0...40 {
      let boxes = tracker.boxes(at: frame)
      #expect(boxes.count == 1, "frame \(frame)")
      #expect(coverage(truth(at: frame), by: boxes) >= 0.99, "frame \(frame)")
      #expect(boxes.first?.source == (frame % 5 == 0 ? .detected : .interpolated))
    }
  }

  /// A track seen once counts as new for the adaptive cadence only when it scored high enough,
  /// and stops being new once it is seen again; a wide box moving sideways is slow for its size.
  @Test func activityCountsConfidentNewTracksAndMeasuresSpeedPerAxis() {
    let tracker = Tracker()
    let plate = Box(x: 300, y: 200, width: 120, height: 30)
    tracker.update(frame: 0, detections: [face(truth(at: 0)), Detection(objectClass: .plate, box: plate, score: 0.42)])
    #expect(tracker.activity(at: 0, newTrackScore: 0.5).newTracks == 1)  // the face (0.9), not the plate
    #expect(tracker.activity(at: 0).newTracks == 2)
    #expect(tracker.activity(at: 0).liveTracks == 2)

    let moved = Box(x: plate.x + 12, y: plate.y, width: plate.width, height: plate.height)
    tracker.update(frame: 2, detections: [face(truth(at: 2)), Detection(objectClass: .plate, box: moved, score: 0.42)])
    let activity = tracker.activity(at: 2, newTrackScore: 0.5)
    #expect(activity.newTracks == 0)
    // The face moves 6 px/frame across a 40 px box (0.15); the plate 6 px/frame across 120 px (0.05),
    // though 6 px is a fifth of its height. (The filtered velocity may lag the truth.)
    #expect(activity.fastestRelativeSpeed > 0.05 && activity.fastestRelativeSpeed <= 0.16, "\(activity.fastestRelativeSpeed)")
  }

  /// A track whose detections all scored low does not steer the cadence by its motion: such
  /// near-threshold boxes come and go, and two of them paired up look like a very fast object.
  @Test func activityIgnoresTheMotionOfTracksThatNeverScoredHigh() {
    let tracker = Tracker()
    let weak = Box(x: 300, y: 200, width: 60, height: 20)
    tracker.update(frame: 0, detections: [Detection(objectClass: .plate, box: weak, score: 0.42)])
    let jumped = Box(x: weak.x + 40, y: weak.y, width: weak.width, height: weak.height)
    tracker.update(frame: 1, detections: [Detection(objectClass: .plate, box: jumped, score: 0.45)])
    #expect(tracker.activity(at: 1).fastestRelativeSpeed > 0.5)
    #expect(tracker.activity(at: 1, movingTrackScore: 0.5).fastestRelativeSpeed == 0)
    #expect(tracker.activity(at: 1, movingTrackScore: 0.5).liveTracks == 1, "still tracked")

    // One confident detection is enough for the track's motion to count from then on.
    let again = Box(x: jumped.x + 40, y: weak.y, width: weak.width, height: weak.height)
    tracker.update(frame: 2, detections: [Detection(objectClass: .plate, box: again, score: 0.7)])
    let later = Box(x: again.x + 40, y: weak.y, width: weak.width, height: weak.height)
    tracker.update(frame: 3, detections: [Detection(objectClass: .plate, box: later, score: 0.41)])
    #expect(tracker.activity(at: 3, movingTrackScore: 0.5).fastestRelativeSpeed > 0.5)
  }

  /// Score hysteresis: a weak detection continues a track where it overlaps it, and is dropped
  /// where it would start one or reach another object by distance alone.
  @Test func weakDetectionsContinueOverlappingTracksOnly() {
    let tracker = Tracker()

    #expect(tracker.update(frame: 0, detections: [weak(truth(at: 0))], startScores: starts).isEmpty, "a weak box starts nothing")
    #expect(tracker.boxes(at: 0).isEmpty)

    tracker.update(frame: 3, detections: [face(truth(at: 3))], startScores: starts)
    let kept = tracker.update(frame: 6, detections: [weak(truth(at: 6))], startScores: starts)
    #expect(kept.count == 1)
    #expect(tracker.boxes(at: 6).map(\.source) == [.detected], "the weak detection continued the track")
    #expect(tracker.boxes(at: 6).first?.trackID == tracker.boxes(at: 3).first?.trackID)

    // Another face appearing beside it (within the distance gate, no overlap): a weak box of it
    // neither pulls the first track over nor starts its own; the first face stays covered.
    let beside = Box(x: truth(at: 9).x + 55, y: truth(at: 9).y, width: 40, height: 50)
    #expect(tracker.update(frame: 9, detections: [weak(beside)], startScores: starts).isEmpty)
    let boxes = tracker.boxes(at: 9)
    #expect(boxes.map(\.source) == [.extrapolated])
    #expect(coverage(truth(at: 9), by: boxes) >= 0.99)
  }

  /// Weak detections that recur in one place on `weakConfirmations` detector runs in a row start
  /// a track after all, which then covers every frame back to the first of them; until then they
  /// hide nothing and are not kept. Such a track never counts for the cadence's activity: the
  /// detectors look no more often for what they are unsure of.
  @Test func weakDetectionsThatRecurStartATrackReachingBackToTheFirst() {
    let tracker = makeTracker(confirmingWeakFacesAfter: 3)

    for frame in [0, 3] {
      #expect(tracker.update(frame: frame, detections: [weak(truth(at: frame))], startScores: starts).isEmpty)
    }
    #expect((0...3).allSatisfy { tracker.boxes(at: $0).isEmpty }, "two runs are not enough")
    #expect(tracker.activity(at: 3).liveTracks == 0)

    #expect(tracker.update(frame: 6, detections: [weak(truth(at: 6))], startScores: starts).count == 1)
    for frame in 0...6 {
      let boxes = tracker.boxes(at: frame)
      #expect(boxes.map(\.source) == [frame % 3 == 0 ? .detected : .interpolated], "frame \(frame)")
      #expect(coverage(truth(at: frame), by: boxes) >= 0.99, "frame \(frame)")
    }
    #expect(tracker.activity(at: 6).liveTracks == 0)
    tracker.update(frame: 9, detections: [face(truth(at: 9))], startScores: starts)
    #expect(tracker.activity(at: 9).liveTracks == 1, "a confident detection makes it count")
  }

  /// A box its detector's verifier turned down is weak whatever its score: alone it starts
  /// nothing until it recurs, and it continues a track it overlaps. A box the verifier passed is
  /// an ordinary confident one.
  @Test func aBoxTheVerifierTurnedDownIsWeakWhateverItsScore() {
    func judged(_ box: Box, passed: Bool) -> Detection {
      Detection(objectClass: .face, box: box, score: 0.9, verified: passed)
    }
    let recurring = makeTracker(confirmingWeakFacesAfter: 3)
    for frame in [0, 3] {
      #expect(recurring.update(frame: frame, detections: [judged(truth(at: frame), passed: false)], startScores: starts).isEmpty)
      #expect(recurring.boxes(at: frame).isEmpty)
    }
    #expect(recurring.update(frame: 6, detections: [judged(truth(at: 6), passed: false)], startScores: starts).count == 1,
            "recurring on three runs, it starts a track")

    let tracker = Tracker()
    #expect(tracker.update(frame: 0, detections: [judged(truth(at: 0), passed: true)], startScores: starts).count == 1)
    #expect(tracker.update(frame: 3, detections: [judged(truth(at: 3), passed: false)], startScores: starts).count == 1)
    #expect(tracker.boxes(at: 3).map(\.source) == [.detected], "the turned-down box continued the track")
  }

  /// A confident box beside a tentative track (within reach, no overlap) starts its own track:
  /// reached by distance, it would take over a history of weak boxes found somewhere else.
  @Test func aConfidentBoxJoinsATentativeTrackOnlyWhereItOverlapsIt() {
    let tracker = makeTracker(confirmingWeakFacesAfter: 3)
    tracker.update(frame: 0, detections: [weak(Box(x: 100, y: 100, width: 40, height: 50))], startScores: starts)
    tracker.update(frame: 3, detections: [face(Box(x: 150, y: 100, width: 40, height: 50))], startScores: starts)
    #expect(tracker.boxes(at: 3).map(\.source) == [.detected])
    #expect(tracker.boxes(at: 0).map(\.source) == [.backfilled], "the new track's backfill, not the weak box")
  }

  /// What a weak box finds by chance: it skips a run, or comes back somewhere else. Neither starts
  /// a track, however often it happens; a confident detection joining a tentative track starts it
  /// at once, from the weak detection before it.
  @Test func weakDetectionsThatSkipARunOrMoveAwayNeverStartATrack() {
    let tracker = makeTracker(confirmingWeakFacesAfter: 2)

    let still = Box(x: 300, y: 200, width: 40, height: 50)
    for frame in stride(from: 0, through: 24, by: 6) {
      tracker.update(frame: frame, detections: [weak(still)], startScores: starts)
      tracker.update(frame: frame + 3, detections: [], startScores: starts)  // a run that finds nothing
    }
    let elsewhere = Box(x: 500, y: 300, width: 40, height: 50)
    for (index, frame) in [30, 33, 36].enumerated() {
      let box = Box(x: elsewhere.x - 200 * Double(index), y: elsewhere.y, width: 40, height: 50)  // never overlapping
      tracker.update(frame: frame, detections: [weak(box)], startScores: starts)
    }
    #expect((0...36).allSatisfy { tracker.boxes(at: $0).isEmpty })

    tracker.update(frame: 40, detections: [weak(truth(at: 40))], startScores: starts)
    #expect(tracker.update(frame: 41, detections: [face(truth(at: 41))], startScores: starts).count == 1)
    #expect(tracker.boxes(at: 40).map(\.source) == [.detected], "the weak detection before the confident one")
  }

  @Test func aDetectionReachesBackToTheFramesBeforeIt() {
    var configuration = TrackerConfiguration()
    configuration.maxAge = 10
    let tracker = Tracker(configuration: configuration)
    // First seen at frame 20, then at 22 and 24: frames 10…19 are backfilled along its motion.
    for frame in [20, 22, 24] { tracker.update(frame: frame, detections: [face(truth(at: frame))]) }
    for frame in 10..<20 {
      let boxes = tracker.boxes(at: frame)
      #expect(boxes.first?.source == .backfilled)
      #expect(coverage(truth(at: frame), by: boxes) >= 0.9, "frame \(frame): \(coverage(truth(at: frame), by: boxes))")
    }
    #expect(tracker.boxes(at: 9).isEmpty, "backfill stops at maxAge")
  }

  @Test func aTrackLivesOnForMaxAgeFramesThenStops() {
    var configuration = TrackerConfiguration()
    configuration.maxAge = 6
    let tracker = Tracker(configuration: configuration)
    for frame in 0...4 { tracker.update(frame: frame, detections: [face(truth(at: frame))]) }
    for frame in 5...10 {
      tracker.update(frame: frame, detections: [])  // the detector misses it
      #expect(coverage(truth(at: frame), by: tracker.boxes(at: frame)) >= 0.9, "frame \(frame)")
      #expect(tracker.boxes(at: frame).first?.source == .extrapolated)
    }
    #expect(tracker.boxes(at: 11).isEmpty)
  }

  @Test func boxesGrowWithDistanceFromTheNearestDetection() {
    let tracker = Tracker()
    tracker.update(frame: 0, detections: [face(truth(at: 0))])
    tracker.update(frame: 10, detections: [face(truth(at: 10))])
    let near = tracker.boxes(at: 1)[0].box.area, middle = tracker.boxes(at: 5)[0].box.area
    #expect(middle > near)
  }

  @Test func twoObjectsKeepTheirOwnTracks() {
    let tracker = Tracker()
    for frame in stride(from: 0, through: 20, by: 4) {
      let left = Box(x: 10 + 3 * Double(frame), y: 100, width: 30, height: 30)
      let right = Box(x: 400 - 3 * Double(frame), y: 300, width: 30, height: 30)
      tracker.update(frame: frame, detections: [face(left), Detection(objectClass: .plate, box: right, score: 0.8)])
    }
    let boxes = tracker.boxes(at: 10)
    #expect(boxes.count == 2)
    #expect(Set(boxes.map(\.trackID)).count == 2)
    #expect(tracker.trackCount == 2)
  }

  @Test func noTrackCrossesASceneCut() {
    let tracker = Tracker()
    for frame in 0...9 { tracker.update(frame: frame, detections: [face(truth(at: frame))]) }
    tracker.cut(at: 10)
    let elsewhere = Box(x: 500, y: 400, width: 40, height: 40)
    for frame in 12...14 { tracker.update(frame: frame, detections: [face(elsewhere)]) }
    // Frame 10 and 11: the old scene's face is not extrapolated into them, the new face is
    // backfilled no further back than the cut.
    for frame in [10, 11] {
      let boxes = tracker.boxes(at: frame)
      #expect(boxes.count == 1 && boxes[0].source == .backfilled && boxes[0].box.intersection(elsewhere).area > 0)
    }
    #expect(tracker.boxes(at: 9).count == 1 && tracker.boxes(at: 9)[0].source == .detected)
  }

  @Test func forgettingKeepsMemoryBoundedOnALongStream() {
    var configuration = TrackerConfiguration()
    configuration.maxAge = 5
    let tracker = Tracker(configuration: configuration)
    for frame in 0..<5_000 {
      // A new object every 50 frames, each seen for 20 frames.
      let detections = frame % 50 < 20 ? [face(Box(x: Double(frame % 50) * 5, y: 100, width: 30, height: 30))] : []
      tracker.update(frame: frame, detections: detections)
      tracker.forget(before: frame - 10)
    }
    #expect(tracker.trackCount <= 2)
  }
}

@Suite struct TrackerAssociationTests {
  @Test func aFastObjectSeenEveryFifthFrameStaysOneTrack() {
    let tracker = Tracker()
    // 56×72 face moving 16 px a frame: 80 px between two looks, more than its own width.
    for frame in stride(from: 0, through: 25, by: 5) {
      let box = Box(x: 58 + 16 * Double(frame), y: 82 + 4 * Double(frame), width: 56, height: 72)
      tracker.update(frame: frame, detections: [Detection(objectClass: .face, box: box, score: 0.9)])
    }
    #expect(tracker.trackCount == 1)
    #expect(tracker.boxes(at: 12).first?.source == .interpolated)
  }

  /// What the small evaluation set showed: a 34×10 plate box seen once, then 8 frames later a
  /// 54×25 plate 290 px away. The pixel reach of a small track 8 frames on covers that distance,
  /// so without a size check the second plate continued the first's track: boxes were swept across
  /// the frame between them, and the second plate's earlier frames got no backfill.
  @Test func aFarDetectionOfAnotherSizeStartsItsOwnTrackAndIsBackfilled() {
    var configuration = TrackerConfiguration()
    configuration.pixelReachPerFrame = 38.4  // 2% of 960 px per thirtieth of a second, at 15 fps
    configuration.maxAge = 8  // 0.5 s at 15 fps, rounded up
    let tracker = Tracker(configuration: configuration)
    let first = Box(x: 365, y: 377, width: 34, height: 10), second = Box(x: 626, y: 252, width: 54, height: 25)
    tracker.update(frame: 0, detections: [Detection(objectClass: .plate, box: first, score: 0.9)])
    tracker.update(frame: 8, detections: [Detection(objectClass: .plate, box: second, score: 0.9)])
    #expect(tracker.trackCount == 2)
    let boxesAtFrame4 = tracker.boxes(at: 4)
    #expect(boxesAtFrame4.contains { $0.source == .backfilled && $0.box.intersection(second).area >= 0.9 * second.area })
    #expect(!boxesAtFrame4.contains { $0.source == .interpolated }, "a box swept between two objects")
  }

  @Test func objectsOfDifferentClassesNeverShareATrack() {
    let tracker = Tracker()
    let box = Box(x: 100, y: 100, width: 50, height: 50)
    tracker.update(frame: 0, detections: [Detection(objectClass: .face, box: box, score: 0.9)])
    tracker.update(frame: 1, detections: [Detection(objectClass: .plate, box: box, score: 0.9)])
    #expect(tracker.trackCount == 2)
  }
}
