import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// A detector that throws on one call and finds nothing otherwise.
private final class BreakingDetector: Detector, @unchecked Sendable {
  // Safe: used from the one stage thread that owns it.
  let objectClass = ObjectClass.face
  let modelID = "breaking-test-detector"
  let modelSHA256 = String(repeating: "0", count: 64)
  let failOnCall: Int
  private var calls = 0

  init(failOnCall: Int) { self.failOnCall = failOnCall }

  func preferredImageSize(forFrameWidth width: Int, height: Int) -> (width: Int, height: Int) { (width / 4, height / 4) }

  func detect(_ image: DetectorImage) throws(VisionError) -> [Detection] {
    defer { calls += 1 }
    if calls == failOnCall { throw VisionError(.inference, "injected failure on call \(calls)") }
    return []
  }
}

private struct BreakingFactory: DetectorFactory {
  let failOnCall: Int
  func makeDetectors(for classes: [ObjectClass], frameWidth: Int, frameHeight: Int) throws -> [any Detector] {
    [BreakingDetector(failOnCall: failOnCall)]
  }
}

/// A stage failing part-way: its error is the one reported, every stage stops, and no output,
/// partial file or sidecar is left, although the encoder had already written frames.
@Suite(.timeLimit(.minutes(5))) struct PipelineFailureTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("pipeline-failure") }

  @Test func aDetectStageFailureMidStreamWinsAndRemovesThePartialOutput() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 96)  // 8 s at 12 fps
    var options = AnonymizeOptions()
    options.onDetectorError = .abort
    options.detectEvery = 1
    options.adaptiveCadence = nil
    let anonymizer = Anonymizer(options: options, detectors: BreakingFactory(failOnCall: 70))
    let output = scratch.appendingPathComponent("out.mp4")
    #expect { try anonymizer.run(.file(clip.url, output: output)) } throws: { ($0 as? BlindspotError)?.status == .policy }
    #expect(filesUnder(scratch) == ["face-and-plate.mp4"])
  }

  @Test func aDecodeStageFailureMidStreamWinsAndRemovesThePartialOutput() throws {
    // 2 s at 320×240, then 2 s at 640×480 in one MPEG-TS stream: the frame size changes mid-stream.
    var parts: [String] = []
    for (index, size) in ["320x240", "640x480"].enumerated() {
      let part = scratch.appendingPathComponent("part\(index).ts")
      try Subprocess.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=\(size):rate=12", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
                             "-f", "mpegts", part.path])
      parts.append(part.path)
    }
    let joined = scratch.appendingPathComponent("joined.ts")
    try Data(parts.flatMap { try! Data(contentsOf: URL(fileURLWithPath: $0)) }).write(to: joined)
    for part in parts { try FileManager.default.removeItem(atPath: part) }

    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([joined.path, "-o", output.path, "--classes", "face"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("frame size changes mid-stream"))
    #expect(filesUnder(scratch) == ["joined.ts"])
  }
}
