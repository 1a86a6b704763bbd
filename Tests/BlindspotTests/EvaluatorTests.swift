import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// `blindspot eval` end to end: real pipeline, real models, ground truth of real photos.
@Suite(.timeLimit(.minutes(10))) struct EvaluatorTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("eval") }

  private func writeTruth(for clip: Clips.FaceAndPlate) throws -> URL {
    let face = [clip.face.x, clip.face.y, clip.face.width, clip.face.height]
    let plate = [clip.plate.x, clip.plate.y, clip.plate.width, clip.plate.height]
    let frames = (0..<clip.frames).map { frame in
      #"{"frame": \#(frame), "objects": [{"id": "f", "class": "face", "box": \#(face)}, {"id": "p", "class": "plate", "box": \#(plate)}]}"#
    }
    let url = URL(fileURLWithPath: clip.url.path + ".truth.json")
    try Data(#"{"schema": "blindspot-truth/1", "width": \#(clip.width), "height": \#(clip.height), "frames": [\#(frames.joined(separator: ","))]}"#.utf8)
      .write(to: url)
    return url
  }

  @Test func aClipWhoseObjectsAreFoundHasNoLeaks() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 8)
    _ = try writeTruth(for: clip)
    let options = AnonymizeOptions()
    let evaluator = Evaluator(options: options, detectors: CatalogDetectorFactory(catalog: try ModelCatalog(), options: options))
    let report = try evaluator.evaluate(try Evaluator.items(in: scratch))
    #expect(report.items == 1 && report.frames == 8)
    #expect(report.classes[.face]?.all.leakRate == 0)
    #expect(report.classes[.plate]?.all.objectFrames == 8)
    #expect(report.classes[.plate]?.all.leakRate == 0)
    #expect(filesUnder(scratch).allSatisfy { $0.hasPrefix("face-and-plate.mp4") }, "eval must write nothing")
  }

  @Test func turningAClassOffShowsUpAsLeaks() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 6)
    let truth = try writeTruth(for: clip)
    var options = AnonymizeOptions()
    options.classes = [.face]
    let evaluator = Evaluator(options: options, detectors: CatalogDetectorFactory(catalog: try ModelCatalog(), options: options))
    let report = try evaluator.evaluate(try Evaluator.items(in: truth))
    #expect(report.classes[.plate]?.all.leakRate == 1)
    #expect(report.classes[.plate]?.longestLeakedRun == 6)
  }

  @Test func dlibsLabelledFacesAreAllFound() throws {
    let xml = try Fixtures.asset("dlib-faces/testing.xml")
    let options = AnonymizeOptions()
    let evaluator = Evaluator(options: options, detectors: CatalogDetectorFactory(catalog: try ModelCatalog(), options: options))
    let report = try evaluator.evaluate(try Evaluator.items(in: xml))
    let faces = try #require(report.classes[.face])
    #expect(faces.all.objectFrames >= 20)
    #expect(faces.all.recall == 1)
  }

  @Test func theGateFailsTheCommandWhenALimitIsBroken() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 4)
    _ = try writeTruth(for: clip)
    let strict = scratch.appendingPathComponent("gate.json")
    try Data(#"{"plate": {"max_leak_rate": 0.0}, "max_area_outside_truth": 0.0}"#.utf8).write(to: strict)
    let result = try blindspot(["eval", clip.url.path + ".truth.json", "--classes", "face", "--gate", strict.path, "--json"])
    #expect(result.status == 3)
    #expect(result.standardError.contains("gate: plate: leak rate 1.0 > 0.0"))
    let report = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
    #expect(report?["frames"] as? Int == 4)

    let lenient = scratch.appendingPathComponent("lenient.json")
    try Data(#"{"face": {"max_target_leak_rate": 0.0}}"#.utf8).write(to: lenient)
    let passing = try blindspot(["eval", clip.url.path + ".truth.json", "--gate", lenient.path])
    #expect(passing.status == 0, "\(passing.standardError)")
    #expect(passing.output.contains("leak rate"))
  }
}
