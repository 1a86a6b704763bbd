import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// The options' score hysteresis reaches the detectors, and clips recorded before it existed
/// replay without it.
@Suite struct ScoreHysteresisTests {
  /// The plate detector the factory makes for the Czech plate photo, and what it finds there.
  private func plateDetections(_ options: AnonymizeOptions) throws -> (startScore: Double, found: [Detection]) {
    var options = options
    options.plateDetectionMaxEnlargement = 1  // the photo is handed over at its own size
    let photo = try Photo(Fixtures.asset("fast-alpr-test_image.png"))
    let detector = try #require(try CatalogDetectorFactory(catalog: try ModelCatalog(), options: options)
      .makeDetectors(for: [.plate], frameWidth: photo.width, frameHeight: photo.height).first)
    let size = detector.preferredImageSize(forFrameWidth: photo.width, height: photo.height)
    try #require(size.width == photo.width && size.height == photo.height, "the photo fits the detector as it is")
    let found = try photo.bgr.withUnsafeBytes { pixels in
      try detector.detect(DetectorImage(pixels: pixels.baseAddress!, width: photo.width, height: photo.height, stride: photo.width * 3))
    }
    return (detector.startScore, found)
  }

  @Test func theFactoryAsksForWeakerBoxesAndKeepsTheThresholdAsStartScore() throws {
    var off = AnonymizeOptions()
    off.scoreHysteresis = nil
    let (offStart, strong) = try plateDetections(off)
    let (start, all) = try plateDetections(AnonymizeOptions())
    #expect(start == offStart)
    #expect(strong.allSatisfy { $0.score >= start })
    let fraction = try #require(AnonymizeOptions().scoreHysteresis)
    #expect(all.contains { $0.score < start } && all.allSatisfy { $0.score >= fraction * start - 1e-6 })
  }

  @Test func optionsRecordedBeforeHysteresisExistedReplayWithoutIt() throws {
    var recorded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(AnonymizeOptions())) as? [String: Any])
    #expect(recorded.removeValue(forKey: "scoreHysteresis") != nil)
    let decoded = try JSONDecoder().decode(AnonymizeOptions.self, from: JSONSerialization.data(withJSONObject: recorded))
    #expect(decoded.scoreHysteresis == nil)
    let (start, found) = try plateDetections(decoded)
    #expect(!found.isEmpty && found.allSatisfy { $0.score >= start }, "no box under the threshold")
  }
}
