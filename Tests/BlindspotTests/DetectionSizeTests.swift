import Blindspot
import BlindspotVision
import Foundation
import Testing

/// Each class's detector sees the frame at its own size: plates are wide and short, so they get
/// more pixels than faces by default.
@Suite struct DetectionSizeTests {
  @Test func thePlateDetectorSeesALargerImageThanTheFaceDetector() throws {
    let options = AnonymizeOptions()
    let detectors = try CatalogDetectorFactory(catalog: try ModelCatalog(), options: options)
      .makeDetectors(for: [.face, .plate], frameWidth: 1920, frameHeight: 1080)
    let widths = Dictionary(uniqueKeysWithValues: detectors.compactMap { $0 as? DNNDetector }.map { ($0.objectClass, $0.inputWidth) })
    #expect(widths[.face] == options.detectionLongSide)
    #expect(widths[.plate] == options.plateDetectionLongSide)
    #expect(try #require(widths[.plate]) > (try #require(widths[.face])))
  }

  @Test func optionsRecordedBeforeThePlateSizeExistedKeepTheOneSizeForBoth() throws {
    var recorded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(AnonymizeOptions())) as? [String: Any])
    #expect(recorded.removeValue(forKey: "plateDetectionLongSide") != nil)
    recorded["detectionLongSide"] = 640
    let decoded = try JSONDecoder().decode(AnonymizeOptions.self, from: JSONSerialization.data(withJSONObject: recorded))
    #expect(decoded.detectionLongSide(for: .plate) == 640)
    #expect(decoded.detectionLongSide(for: .face) == 640)
  }
}
