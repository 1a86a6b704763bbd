import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// A detector that fails on chosen calls: the seam for proving the pipeline fails closed.
private final class FailingDetector: Detector, @unchecked Sendable {
  // Safe: used from the one pipeline thread that owns it.
  let objectClass = ObjectClass.face
  let modelID = "failing-test-detector"
  let modelSHA256 = String(repeating: "0", count: 64)
  let failOnCalls: Set<Int>
  private(set) var calls = 0

  init(failOnCalls: Set<Int>) { self.failOnCalls = failOnCalls }

  func preferredImageSize(forFrameWidth width: Int, height: Int) -> (width: Int, height: Int) { (width / 4, height / 4) }

  func detect(_ image: DetectorImage) throws(VisionError) -> [Detection] {
    defer { calls += 1 }
    if failOnCalls.contains(calls) { throw VisionError(.inference, "injected failure on call \(calls)") }
    return []
  }
}

private struct FailingFactory: DetectorFactory {
  let failOnCalls: Set<Int>
  func makeDetectors(for classes: [ObjectClass], frameWidth: Int, frameHeight: Int) throws -> [any Detector] {
    [FailingDetector(failOnCalls: failOnCalls)]
  }
}

@Suite(.timeLimit(.minutes(5))) struct FailClosedTests {
  let scratch: URL
  let clip: Clips.FaceAndPlate

  init() throws {
    scratch = try Fixtures.scratchDirectory("fail-closed")
    clip = try Clips.faceAndPlate(in: scratch, frames: 8)
  }

  @Test func aFrameWhoseDetectionFailedIsMaskedWholeAndTheOthersAreNot() throws {
    let output = scratch.appendingPathComponent("out.mp4")
    var options = AnonymizeOptions()
    options.detectEvery = 1  // one detector call per frame: call 3 is frame 3
    options.adaptiveCadence = nil  // exactly every k-th frame
    let anonymizer = Anonymizer(options: options, detectors: FailingFactory(failOnCalls: [3]))
    let sidecar = try anonymizer.run(.file(clip.url, output: output))

    #expect(sidecar.counts.maskedFrames == 1)
    let frames = try GrayFrames(output, width: clip.width, height: clip.height)
    #expect(frames.frames.count == 8)
    for index in 0..<8 {
      // Limited-range black is 16; the scene itself averages well above 60.
      if index == 3 { #expect(frames.mean(frame: index) < 20, "frame 3 should be black") }
      else { #expect(frames.mean(frame: index) > 60, "frame \(index) should show the scene") }
    }
  }

  @Test func abortPolicyLeavesNoOutputAndReportsAPolicyError() throws {
    let output = scratch.appendingPathComponent("out.mp4")
    var options = AnonymizeOptions()
    options.onDetectorError = .abort
    options.detectEvery = 1
    options.adaptiveCadence = nil  // exactly every k-th frame
    let anonymizer = Anonymizer(options: options, detectors: FailingFactory(failOnCalls: [5]))
    #expect { try anonymizer.run(.file(clip.url, output: output)) } throws: { ($0 as? BlindspotError)?.status == .policy }
    #expect(filesUnder(scratch) == ["face-and-plate.mp4"])
  }

  @Test func aMissingModelIsAStartUpErrorFromTheCommandLine() throws {
    let emptyModels = scratch.appendingPathComponent("no-models")
    try FileManager.default.createDirectory(at: emptyModels, withIntermediateDirectories: true)
    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([clip.url.path, "-o", output.path, "--models", emptyModels.path])
    #expect(result.status == 1)
    #expect(result.standardError.contains("no models installed"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func aCorruptModelIsAStartUpErrorFromTheCommandLine() throws {
    let installed = try ModelCatalog()
    let models = scratch.appendingPathComponent("models")
    try FileManager.default.copyItem(at: installed.directory.resolvingSymlinksInPath(), to: models)
    let onnx = models.appendingPathComponent("centerface.onnx")
    let bytes = try Data(contentsOf: onnx.resolvingSymlinksInPath())
    try FileManager.default.removeItem(at: onnx)
    try bytes.prefix(1000).write(to: onnx)
    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([clip.url.path, "-o", output.path, "--models", models.path])
    #expect(result.status == 1)
    #expect(result.standardError.contains("corrupt"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
}
