import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// The production detectors on real photos from packages, against boxes annotated in
/// assets/manifest.json (dlib's ground truth for its faces, boxes checked by eye for the others).
@Suite(.timeLimit(.minutes(5))) struct DetectorTests {
  let catalog: ModelCatalog

  init() throws { catalog = try ModelCatalog() }

  private func detect(_ modelID: String, in photoName: String) throws -> (Photo, [Box]) {
    let (photo, detections) = try detections(modelID, in: photoName)
    return (photo, detections.map { $0.box.scaled(x: Double(photo.width), y: Double(photo.height)) })
  }

  private func detections(_ modelID: String, in photoName: String, hysteresis: Double = 1) throws -> (Photo, [Detection]) {
    let photo = try Photo(Fixtures.asset(photoName))
    let detector = try DNNDetector(catalog: catalog, modelID: modelID, frameWidth: photo.width, frameHeight: photo.height,
                                   hysteresis: hysteresis)
    let size = detector.preferredImageSize(forFrameWidth: photo.width, height: photo.height)
    // The photos are smaller than the detector input, so they are passed at their own size.
    #expect(size.width >= photo.width - 1 || size.height >= photo.height - 1 || size == (detector.inputWidth, detector.inputHeight))
    #expect(detector.startScore == (try catalog.entry(modelID).scoreThreshold))
    let found = try photo.bgr.withUnsafeBytes { pixels in
      try detector.detect(DetectorImage(pixels: pixels.baseAddress!, width: photo.width, height: photo.height, stride: photo.width * 3))
    }
    return (photo, found)
  }

  private func matched(_ truth: [Box], by found: [Box], iou: Double = 0.3) -> Int {
    truth.filter { t in found.contains { $0.iou(t) >= iou } }.count
  }

  @Test func centerFaceFindsTheAstronautsFace() throws {
    let (_, found) = try detect("centerface", in: "astronaut.png")
    #expect(matched([Box(x: 180, y: 60, width: 90, height: 122)], by: found) == 1)
    #expect(found.count == 1)
  }

  @Test func centerFaceFindsDlibsLabelledFaces() throws {
    let truth = [Box(x: 329, y: 78, width: 109, height: 109), Box(x: 224, y: 95, width: 91, height: 91),
                 Box(x: 125, y: 65, width: 90, height: 91)]
    let (_, found) = try detect("centerface", in: "dlib-faces/2008_002506.jpg")
    #expect(matched(truth, by: found) == 3)
  }

  @Test func plateDetectorFindsThePlateOnTheCarPhoto() throws {
    let (_, found) = try detect("hyperlpr-ssd", in: "oim-car_image.webp")
    #expect(matched([Box(x: 17, y: 323, width: 164, height: 68)], by: found) == 1)
  }

  @Test func plateDetectorFindsNoPlateOnAPortrait() throws {
    let (_, found) = try detect("hyperlpr-ssd", in: "astronaut.png")
    #expect(found.isEmpty)
  }

  @Test func ownPlateModelFindsTheCzechPlate() throws {
    let (_, found) = try detect("blindspot-plates-v2", in: "fast-alpr-test_image.png")
    #expect(matched([Box(x: 305, y: 189, width: 83, height: 22)], by: found) == 1)
  }

  /// With score hysteresis the detector also reports weaker boxes, down to the fraction of its
  /// threshold asked for; the threshold stays the score that starts a track.
  @Test func hysteresisReportsWeakerBoxesDownToItsFraction() throws {
    let threshold = try #require(try catalog.entry("blindspot-plates-v2").scoreThreshold)
    let (_, strong) = try detections("blindspot-plates-v2", in: "fast-alpr-test_image.png")
    let (_, all) = try detections("blindspot-plates-v2", in: "fast-alpr-test_image.png", hysteresis: 0.5)
    #expect(strong.allSatisfy { $0.score >= threshold })
    #expect(all.allSatisfy { $0.score >= 0.5 * threshold - 1e-6 })
    #expect(all.contains { $0.score < threshold }, "the photo has weaker plate-like boxes")
    for detection in strong {
      #expect(all.contains { $0.box.iou(detection.box) > 0.9 && abs($0.score - detection.score) < 1e-6 })
    }
  }

  /// The plate verifier judges each box from its surroundings, as the detector's second opinion:
  /// on the Czech car photo, seen as Blindspot sees small frames (enlarged up to 2x toward 1440 px,
  /// the hysteresis floor), it passes the plate and turns down the plate-like boxes beside it.
  @Test func thePlateVerifierPassesThePlateAndTurnsDownBoxesThatAreNone() throws {
    let photo = try Photo(Fixtures.asset("fast-alpr-test_image.png"))
    let detector = try DNNDetector(catalog: catalog, modelID: "blindspot-plates-v2", frameWidth: photo.width,
                                   frameHeight: photo.height, longSide: 1440, maxEnlargement: 2, hysteresis: 0.6,
                                   verifierID: "blindspot-plate-verifier-v1")
    #expect(detector.verifier?.id == "blindspot-plate-verifier-v1")
    let found = try photo.bgr.withUnsafeBytes { pixels in
      try detector.detect(DetectorImage(pixels: pixels.baseAddress!, width: photo.width, height: photo.height,
                                        stride: photo.width * 3))
    }
    let plate = Box(x: 305, y: 189, width: 83, height: 22)
    let scaled = found.map { ($0.box.scaled(x: Double(photo.width), y: Double(photo.height)), $0.verified) }
    #expect(scaled.contains { $0.0.iou(plate) >= 0.3 && $0.1 == true }, "the plate passes")
    #expect(scaled.contains { $0.0.iou(plate) < 0.1 && $0.1 == false }, "a box that is no plate is turned down")
    #expect(scaled.allSatisfy { $0.1 != nil }, "every box is judged")
  }

  @Test func aVerifierOfAnotherTaskIsAConfigurationError() throws {
    let error = #expect(throws: VisionError.self) {
      try DNNDetector(catalog: catalog, modelID: "blindspot-plates-v2", frameWidth: 640, frameHeight: 360,
                      verifierID: "centerface")
    }
    #expect(error?.kind == .configuration)
  }

  @Test func ownPlateModelFindsNoPlateOnAGroupPhoto() throws {
    let (_, found) = try detect("blindspot-plates-v2", in: "dlib-faces/2008_002506.jpg")
    #expect(found.isEmpty)
  }
}

/// Models the project trained itself are committed under models/ and installed from the repository.
@Suite struct CommittedModelTests {
  @Test func everyRepositorySourcedModelIsCommittedWithItsPinnedHash() throws {
    let root = Fixtures.repositoryRoot
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("models/manifest.json")))
    let models = try #require((json as? [String: Any])?["models"] as? [[String: Any]])
    let own = models.filter { ($0["source"] as? [String: Any])?["registry"] as? String == "repository" }
    #expect(own.map { $0["id"] as? String } .contains("blindspot-plates-v2"))
    for model in own {
      for file in try #require(model["files"] as? [[String: Any]]) {
        let path = try #require(file["path"] as? String)
        let url = root.appendingPathComponent(path)
        #expect(FileManager.default.fileExists(atPath: url.path), "\(path) is not committed")
        #expect(try FileHash.sha256(of: url) == file["sha256"] as? String, "\(path) differs from its pinned sha256")
      }
    }
  }

  @Test func theCommittedModelIsInstalledByTheFetchScript() throws {
    let installed = try ModelCatalog()
    let entry = try installed.entry("blindspot-plates-v2")
    let file = try #require(entry.modelFile)
    #expect(try installed.verifiedPath(of: file, model: entry.id).hasSuffix(file.name))
  }
}

@Suite struct ModelCatalogTests {
  @Test func aMissingModelDirectoryIsAStartUpError() throws {
    let empty = try Fixtures.scratchDirectory("models")
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect { try ModelCatalog(directory: empty) } throws: { ($0 as? VisionError)?.kind == .model }
  }

  @Test func aCorruptModelFileIsRefusedBeforeOpenCVSeesIt() throws {
    let installed = try ModelCatalog()
    let copy = try Fixtures.scratchDirectory("models")
    defer { try? FileManager.default.removeItem(at: copy) }
    try FileManager.default.copyItem(at: installed.directory.appendingPathComponent("manifest.json"),
                                     to: copy.appendingPathComponent("manifest.json"))
    // The real file with its last half cut off, as an interrupted download leaves it.
    let original = try Data(contentsOf: installed.directory.appendingPathComponent("centerface.onnx"))
    try original.prefix(original.count / 2).write(to: copy.appendingPathComponent("centerface.onnx"))

    let catalog = try ModelCatalog(directory: copy)
    #expect {
      try DNNDetector(catalog: catalog, modelID: "centerface", frameWidth: 640, frameHeight: 360)
    } throws: { error in
      guard let error = error as? VisionError else { return false }
      return error.kind == .model && error.message.contains("corrupt")
    }
  }

  @Test func anUnknownModelIdNamesTheInstalledOnes() throws {
    let catalog = try ModelCatalog()
    #expect {
      try catalog.entry("no-such-model")
    } throws: { error in
      guard let error = error as? VisionError else { return false }
      return error.kind == .configuration && error.message.contains("centerface")
    }
  }
}
