@testable import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct AdaptiveCadenceTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("cadence") }

  /// The frames a cadence picks out of `frames` frames with the given scene change per frame
  /// and tracker activity after every detection.
  private func picks(_ cadence: DetectionCadence, frames: Int, sceneChange: Double, activity: TrackerActivity) -> [Int] {
    var cadence = cadence, picked: [Int] = []
    for frame in 0..<frames where cadence.shouldDetect(sceneChange: sceneChange) {
      picked.append(frame)
      cadence.detected(activity: activity)
    }
    return picked
  }

  @Test func fixedCadenceIsEveryKthFrame() {
    let cadence = DetectionCadence(every: 3, adaptive: nil, framesPerSecond: 30, limit: 15)
    #expect(picks(cadence, frames: 12, sceneChange: 50, activity: .init(liveTracks: 9, fastestRelativeSpeed: 1)) == [0, 3, 6, 9])
  }

  @Test func adaptiveCadenceStretchesOnACalmSceneAndTightensOnABusyOne() {
    let cadence = DetectionCadence(every: 3, adaptive: AdaptiveCadence(), framesPerSecond: 30, limit: 15)
    #expect(cadence.longest == 10)
    // Static and empty: every third of a second.
    #expect(picks(cadence, frames: 30, sceneChange: 0.5, activity: .init()) == [0, 10, 20])
    // The camera moves: the scene change budget (12) is spent in two frames.
    #expect(picks(cadence, frames: 10, sceneChange: 7, activity: .init()) == [0, 2, 4, 6, 8])
    // A track crossing its own size in a few frames.
    #expect(picks(cadence, frames: 10, sceneChange: 0, activity: .init(liveTracks: 1, fastestRelativeSpeed: 0.1)) == [0, 3, 6, 9])
    // Many objects, or one just found: no stretching beyond every 3rd frame.
    #expect(picks(cadence, frames: 10, sceneChange: 0, activity: .init(liveTracks: 6)) == [0, 3, 6, 9])
    #expect(picks(cadence, frames: 10, sceneChange: 0, activity: .init(liveTracks: 1, newTracks: 1)) == [0, 3, 6, 9])
  }

  /// Sidecars record the options a clip was made with; those written before a cadence setting
  /// existed replay without it (nil), which is what they did.
  @Test func cadenceSettingsRecordedBeforeTheScoreRulesExistedDecodeAsOff() throws {
    var recorded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(AdaptiveCadence())) as? [String: Any])
    #expect(recorded.removeValue(forKey: "newTrackScore") != nil)
    #expect(recorded.removeValue(forKey: "movingTrackScore") != nil)
    let decoded = try JSONDecoder().decode(AdaptiveCadence.self, from: JSONSerialization.data(withJSONObject: recorded))
    #expect(decoded.newTrackScore == nil)
    #expect(decoded.movingTrackScore == nil)
    #expect(AdaptiveCadence().movingTrackScore == 0.5, "the default")
  }

  @Test func theLongestGapNeverExceedsTheWindow() {
    let cadence = DetectionCadence(every: 3, adaptive: AdaptiveCadence(), framesPerSecond: 60, limit: 8)
    #expect(cadence.longest == 8)
  }

  /// The astronaut's face gliding across a street photo by 16 px a frame: a fast object.
  private func movingFace(frames: Int) throws -> URL {
    let url = scratch.appendingPathComponent("moving-face.mp4")
    try Subprocess.ffmpeg([
      "-loop", "1", "-framerate", "15", "-i", Fixtures.asset("alpr-test.jpg").path,
      "-loop", "1", "-framerate", "15", "-i", Fixtures.asset("astronaut.png").path,
      "-filter_complex", "[0:v]scale=640:360,format=yuv420p[bg];[1:v]crop=150:180:150:40,scale=100:120[face];[bg][face]overlay=x='20+n*16':y='60+n*4'[v]",
      "-map", "[v]", "-frames:v", "\(frames)", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", url.path,
    ])
    return url
  }

  @Test func aFastObjectIsDetectedOnMoreFramesThanAStillScene() throws {
    var options = AnonymizeOptions()
    options.classes = [.face]
    #expect(options.adaptiveCadence != nil, "adaptive is the default")
    let fast = try anonymize(try movingFace(frames: 30), to: scratch.appendingPathComponent("fast.mp4"), options: options)
    let still = try anonymize(try Clips.faceAndPlate(in: scratch, frames: 36).url, to: scratch.appendingPathComponent("still.mp4"),
                              options: options)
    var fixed = options
    fixed.adaptiveCadence = nil
    let stillFixed = try anonymize(try Clips.faceAndPlate(in: scratch, frames: 36).url,
                                   to: scratch.appendingPathComponent("still-fixed.mp4"), options: fixed)

    // 30 frames of a fast face: more than the fixed cadence's 10. 36 frames of a still photo:
    // fewer than the fixed cadence's 12.
    #expect(fast.counts.detectedFrames > 10)
    #expect(stillFixed.counts.detectedFrames == 12)
    #expect(still.counts.detectedFrames < stillFixed.counts.detectedFrames)
    #expect(Double(fast.counts.detectedFrames) / 30 > Double(still.counts.detectedFrames) / 36)
  }
}
