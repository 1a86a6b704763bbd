import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// A detector that sees a fixed box from a given call on: a scripted stand-in for "the object
/// becomes detectable at frame t", so back-propagation can be checked frame by frame.
private final class ScriptedDetector: Detector, @unchecked Sendable {
  // Safe: used from the one pipeline thread that owns it.
  let objectClass = ObjectClass.face
  let modelID = "scripted-test-detector"
  let modelSHA256 = String(repeating: "0", count: 64)
  let box: Box
  let visibleFromCall: Int
  let failOnCalls: Set<Int>
  private var calls = 0

  init(box: Box, visibleFromCall: Int, failOnCalls: Set<Int> = []) {
    self.box = box
    self.visibleFromCall = visibleFromCall
    self.failOnCalls = failOnCalls
  }

  func preferredImageSize(forFrameWidth width: Int, height: Int) -> (width: Int, height: Int) { (width / 4, height / 4) }

  func detect(_ image: DetectorImage) throws(VisionError) -> [Detection] {
    defer { calls += 1 }
    if failOnCalls.contains(calls) { throw VisionError(.inference, "injected failure") }
    return calls >= visibleFromCall ? [Detection(objectClass: .face, box: box, score: 0.9)] : []
  }
}

/// A detector that sees the box `boxAtCall` gives it, confidently before `weakFromCall` and under
/// its start score from then on (score hysteresis).
private final class FollowingDetector: Detector, @unchecked Sendable {
  // Safe: used from the one pipeline thread that owns it.
  let objectClass = ObjectClass.face
  let modelID = "following-test-detector"
  let modelSHA256 = String(repeating: "0", count: 64)
  let startScore = 0.5
  let boxAtCall: @Sendable (Int) -> Box
  let weakFromCall: Int
  private var calls = 0

  init(weakFromCall: Int, boxAtCall: @escaping @Sendable (Int) -> Box) {
    self.weakFromCall = weakFromCall
    self.boxAtCall = boxAtCall
  }

  func preferredImageSize(forFrameWidth width: Int, height: Int) -> (width: Int, height: Int) { (width / 4, height / 4) }

  func detect(_ image: DetectorImage) throws(VisionError) -> [Detection] {
    defer { calls += 1 }
    return [Detection(objectClass: .face, box: boxAtCall(calls), score: calls >= weakFromCall ? 0.3 : 0.9)]
  }
}

private struct ScriptedFactory: DetectorFactory {
  let make: @Sendable () -> any Detector
  func makeDetectors(for classes: [ObjectClass], frameWidth: Int, frameHeight: Int) throws -> [any Detector] { [make()] }
}

@Suite(.timeLimit(.minutes(10))) struct TemporalSafetyTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("temporal") }

  /// The astronaut's face (a crop of the real photo) gliding across a street photo, 15 fps.
  /// Returns the clip and the face's true box on each frame.
  private func movingFace(frames: Int) throws -> (url: URL, box: (Int) -> Box) {
    let url = scratch.appendingPathComponent("moving-face.mp4")
    try Subprocess.ffmpeg([
      "-loop", "1", "-framerate", "15", "-i", Fixtures.asset("alpr-test.jpg").path,
      "-loop", "1", "-framerate", "15", "-i", Fixtures.asset("astronaut.png").path,
      "-filter_complex", "[0:v]scale=640:360,format=yuv420p[bg];[1:v]crop=150:180:150:40,scale=100:120[face];[bg][face]overlay=x='20+n*16':y='60+n*4'[v]",
      "-map", "[v]", "-frames:v", "\(frames)", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", url.path,
    ])
    // The astronaut's face box (180, 60, 90, 122 in the photo) lands at (20, 13, 60, 81) in the
    // scaled crop, which the overlay moves by (16, 4) pixels a frame.
    return (url, { Box(x: 40 + Double($0) * 16, y: 73 + Double($0) * 4, width: 60, height: 81) })
  }

  /// Faces only, detected on exactly every `every`-th frame (call n is frame n × every).
  private func facesEvery(_ every: Int) -> AnonymizeOptions {
    var options = AnonymizeOptions()
    options.classes = [.face]
    options.detectEvery = every
    options.adaptiveCadence = nil
    return options
  }

  /// The moving face's box at detector call `call` when detectors run every `every` frames, in
  /// the normalized coordinates a scripted detector returns.
  private func movingFaceBox(every: Int) -> @Sendable (Int) -> Box {
    { call in
      let frame = Double(call * every)
      return Box(x: 40 + frame * 16, y: 73 + frame * 4, width: 60, height: 81).scaled(x: 1.0 / 640, y: 1.0 / 360)
    }
  }

  /// The track ids in a detections log, and the frames on which a box was detected there.
  private func tracksAndDetectedFrames(in log: URL) throws -> (tracks: Set<Int>, detected: Set<Int>) {
    var tracks = Set<Int>(), detected = Set<Int>()
    for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      tracks.insert(try #require(object["track"] as? Int))
      if object["source"] as? String == "detected" { detected.insert(try #require(object["frame"] as? Int)) }
    }
    return (tracks, detected)
  }

  /// Checks that `output` keeps less than a fifth of the detail `plain` has in the moving face's
  /// box, on each of the first `frames` frames (640×360 clips).
  private func expectFaceHidden(in output: URL, against plain: URL, box: (Int) -> Box, frames: Int) throws {
    let redacted = try GrayFrames(output, width: 640, height: 360), reference = try GrayFrames(plain, width: 640, height: 360)
    for frame in 0..<frames {
      let face = box(frame)
      let kept = redacted.detailEnergy(frame: frame, x: Int(face.x), y: Int(face.y), width: Int(face.width), height: Int(face.height))
      let original = reference.detailEnergy(frame: frame, x: Int(face.x), y: Int(face.y), width: Int(face.width), height: Int(face.height))
      #expect(kept < 0.2 * original, "frame \(frame): \(kept) of \(original) detail energy left")
    }
  }

  @Test func aFaceDetectedOnlyEveryFifthFrameIsHiddenOnEveryFrame() throws {
    let clip = try movingFace(frames: 30)
    let output = scratch.appendingPathComponent("out.mp4"), plain = scratch.appendingPathComponent("plain.mp4")
    let options = facesEvery(5)
    let log = scratch.appendingPathComponent("boxes.jsonl")
    let sidecar = try anonymize(clip.url, to: output, options: options, detectionsLog: log)
    try Clips.plainReencode(clip.url, to: plain)
    #expect(sidecar.counts.detectedFrames == 6)

    try expectFaceHidden(in: output, against: plain, box: clip.box, frames: 30)
    let sources = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["source"] as? String
    }
    #expect(Set(sources).isSuperset(of: ["detected", "interpolated"]))
  }

  /// Score hysteresis in the pipeline: boxes under the detector's start score keep a face
  /// that a confident box found hidden, frame after frame, but alone they hide nothing.
  @Test func weakDetectionsContinueATrackButNeverStartOne() throws {
    let clip = try movingFace(frames: 30)
    let options = facesEvery(5)
    let normalized = movingFaceBox(every: 5)
    let log = scratch.appendingPathComponent("weak.jsonl"), output = scratch.appendingPathComponent("weak.mp4")
    let continued = try Anonymizer(options: options, detectors: ScriptedFactory { FollowingDetector(weakFromCall: 2, boxAtCall: normalized) })
      .run(.file(clip.url, output: output, detectionsLog: log))
    // Calls 0–1 are confident, calls 2–5 (frames 10–25) weak: the face stays one tracked object,
    // detected on every call, and hidden on every frame.
    #expect(continued.counts.detections[.face] == 6)
    let (tracks, detectedFrames) = try tracksAndDetectedFrames(in: log)
    #expect(tracks.count == 1 && detectedFrames == [0, 5, 10, 15, 20, 25])
    let plain = scratch.appendingPathComponent("plain.mp4")
    try Clips.plainReencode(clip.url, to: plain)
    try expectFaceHidden(in: output, against: plain, box: clip.box, frames: 30)

    let alone = try Anonymizer(options: options, detectors: ScriptedFactory { FollowingDetector(weakFromCall: 0, boxAtCall: normalized) })
      .run(.file(clip.url, output: scratch.appendingPathComponent("alone.mp4")))
    #expect(alone.counts.detections[.face, default: 0] == 0)
    #expect(alone.counts.redactedBoxes[.face, default: 0] == 0)
  }

  /// Weak boxes that recur (`weakConfirmations`) start a track after all: the face, never
  /// detected confidently, is hidden on every frame, back to the first weak box, which was still
  /// waiting in the look-ahead window when the second one confirmed it.
  @Test func weakDetectionsThatRecurHideTheFaceFromTheFirstOfThem() throws {
    let clip = try movingFace(frames: 30)
    var options = facesEvery(2)
    options.weakConfirmations = [.face: 2]
    let normalized = movingFaceBox(every: 2)
    let log = scratch.appendingPathComponent("recurring.jsonl"), output = scratch.appendingPathComponent("recurring.mp4")
    let result = try Anonymizer(options: options, detectors: ScriptedFactory { FollowingDetector(weakFromCall: 0, boxAtCall: normalized) })
      .run(.file(clip.url, output: output, detectionsLog: log))
    // 15 weak calls (frames 0–28): the first was tentative when it came, the second confirmed it.
    #expect(result.counts.detections[.face] == 14)
    let (tracks, detectedFrames) = try tracksAndDetectedFrames(in: log)
    #expect(tracks.count == 1 && detectedFrames == Set(stride(from: 0, through: 28, by: 2)))
    let plain = scratch.appendingPathComponent("recurring-plain.mp4")
    try Clips.plainReencode(clip.url, to: plain)
    try expectFaceHidden(in: output, against: plain, box: clip.box, frames: 30)
  }

  @Test func aDetectionAtFrameTIsPropagatedBackToTheWaitingFramesBeforeIt() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 12)  // 12 fps: a 0.5 s window is 6 frames
    let faceBox = Box(x: Double(clip.face.x), y: Double(clip.face.y), width: Double(clip.face.width), height: Double(clip.face.height))
    let normalized = faceBox.scaled(x: 1 / Double(clip.width), y: 1 / Double(clip.height))
    let options = facesEvery(1)
    let anonymizer = Anonymizer(options: options, detectors: ScriptedFactory { ScriptedDetector(box: normalized, visibleFromCall: 6) })
    let output = scratch.appendingPathComponent("out.mp4"), log = scratch.appendingPathComponent("boxes.jsonl")
    try anonymizer.run(.file(clip.url, output: output, detectionsLog: log))

    var sourceByFrame: [Int: String] = [:]
    for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      sourceByFrame[object["frame"] as! Int] = object["source"] as? String
    }
    // Frames 0–5 waited while the object was first found at frame 6; frames 6–11 were detections.
    #expect((0..<6).allSatisfy { sourceByFrame[$0] == "backfilled" }, "\(sourceByFrame)")
    #expect((6..<12).allSatisfy { sourceByFrame[$0] == "detected" })
    let plain = scratch.appendingPathComponent("plain.mp4")
    try Clips.plainReencode(clip.url, to: plain)
    let redacted = try GrayFrames(output, width: clip.width, height: clip.height)
    let reference = try GrayFrames(plain, width: clip.width, height: clip.height)
    for frame in 0..<6 {
      let kept = redacted.detailEnergy(frame: frame, x: clip.face.x, y: clip.face.y, width: clip.face.width, height: clip.face.height)
      let original = reference.detailEnergy(frame: frame, x: clip.face.x, y: clip.face.y, width: clip.face.width, height: clip.face.height)
      #expect(kept < 0.2 * original, "frame \(frame) shows the face")
    }
  }

  @Test func aFailedDetectionMasksEveryFrameItWasResponsibleFor() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 12)
    let options = facesEvery(3)
    // Detections run on frames 0, 3, 6, 9; the one on frame 3 (call 1) fails. Frames 1–2 were
    // to be checked by it and frames 3–5 relied on it: all five are masked.
    let anonymizer = Anonymizer(options: options, detectors: ScriptedFactory {
      ScriptedDetector(box: Box(x: 0, y: 0, width: 0.1, height: 0.1), visibleFromCall: 99, failOnCalls: [1])
    })
    let output = scratch.appendingPathComponent("out.mp4")
    let sidecar = try anonymizer.run(.file(clip.url, output: output))
    #expect(sidecar.counts.maskedFrames == 5)
    let frames = try GrayFrames(output, width: clip.width, height: clip.height)
    for frame in 0..<12 {
      let black = frames.mean(frame: frame) < 20
      #expect(black == (1...5).contains(frame), "frame \(frame)")
    }
  }

  @Test func theWindowBoundsTheFramesHeldInMemory() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 48)  // 4 s at 12 fps
    var options = AnonymizeOptions()
    options.classes = [.face]
    options.lookAheadSeconds = 0.5
    let sidecar = try anonymize(clip.url, to: scratch.appendingPathComponent("out.mp4"), options: options)
    #expect(sidecar.counts.lookAheadFrames == 6)
    #expect(sidecar.counts.peakWaitingFrames == 6)
    #expect(sidecar.counts.frames == 48)
  }

  @Test func aSceneCutEndsTracks() throws {
    // Two photos back to back: a cut at frame 6.
    let clip = scratch.appendingPathComponent("cut.mp4")
    try Subprocess.ffmpeg([
      "-loop", "1", "-framerate", "12", "-t", "0.5", "-i", Fixtures.asset("astronaut.png").path,
      "-loop", "1", "-framerate", "12", "-t", "0.5", "-i", Fixtures.asset("oim-car_image.webp").path,
      "-filter_complex", "[0:v]scale=512:512,format=yuv420p,setsar=1[a];[1:v]scale=512:512,format=yuv420p,setsar=1[b];[a][b]concat=n=2:v=1[v]",
      "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", clip.path,
    ])
    var options = AnonymizeOptions()
    options.classes = [.face]
    let log = scratch.appendingPathComponent("boxes.jsonl")
    let sidecar = try anonymize(clip, to: scratch.appendingPathComponent("out.mp4"), options: options, detectionsLog: log)
    #expect(sidecar.counts.sceneCuts == 1)
    var tracksByScene: [Bool: Set<Int>] = [:]
    var framesWithBoxes = Set<Int>()
    for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let frame = try #require(object["frame"] as? Int), track = try #require(object["track"] as? Int)
      tracksByScene[frame >= 6, default: []].insert(track)
      framesWithBoxes.insert(frame)
    }
    // The astronaut's face is hidden on all 6 of its frames, and no track is carried into the car photo.
    #expect(framesWithBoxes.isSuperset(of: 0..<6))
    #expect(tracksByScene[false, default: []].isDisjoint(with: tracksByScene[true, default: []]))
  }
}
