import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// Each class's detector sees the frame at its own size: plates are wide and short, so they get
/// more pixels than faces by default, and small frames are enlarged for the plate detector.
@Suite(.timeLimit(.minutes(5))) struct DetectionSizeTests {
  private func inputWidths(_ options: AnonymizeOptions, frameWidth: Int, frameHeight: Int) throws -> [ObjectClass: Int] {
    let detectors = try CatalogDetectorFactory(catalog: try ModelCatalog(), options: options)
      .makeDetectors(for: [.face, .plate], frameWidth: frameWidth, frameHeight: frameHeight)
    return Dictionary(uniqueKeysWithValues: detectors.compactMap { $0 as? DNNDetector }.map { ($0.objectClass, $0.inputWidth) })
  }

  /// The options as a sidecar written before `key` existed records them, with `changes` applied.
  private func recordedBefore(_ key: String, with changes: [String: Any] = [:]) throws -> AnonymizeOptions {
    var recorded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(AnonymizeOptions())) as? [String: Any])
    #expect(recorded.removeValue(forKey: key) != nil)
    recorded.merge(changes) { $1 }
    return try JSONDecoder().decode(AnonymizeOptions.self, from: JSONSerialization.data(withJSONObject: recorded))
  }

  @Test func thePlateDetectorSeesALargerImageThanTheFaceDetector() throws {
    let options = AnonymizeOptions()
    let widths = try inputWidths(options, frameWidth: 1920, frameHeight: 1080)
    #expect(widths[.face] == options.detectionLongSide)
    #expect(widths[.plate] == options.plateDetectionLongSide)
    #expect(try #require(widths[.plate]) > (try #require(widths[.face])))
  }

  @Test func optionsRecordedBeforeThePlateSizeExistedKeepTheOneSizeForBoth() throws {
    let decoded = try recordedBefore("plateDetectionLongSide", with: ["detectionLongSide": 640])
    #expect(decoded.detectionLongSide(for: .plate) == 640)
    #expect(decoded.detectionLongSide(for: .face) == 640)
  }

  /// A 640×360 frame reaches the plate detector at twice its size (the limit), a 1280×720 one at
  /// 1440 px; the face detector never enlarges.
  @Test func smallFramesAreEnlargedForThePlateDetectorUpToItsLimit() throws {
    var options = AnonymizeOptions()
    #expect(options.detectionMaxEnlargement(for: .plate) == 2)
    #expect(try inputWidths(options, frameWidth: 640, frameHeight: 360) == [.face: 640, .plate: 1280])
    #expect(try inputWidths(options, frameWidth: 1280, frameHeight: 720) == [.face: 960, .plate: 1440])
    options.plateDetectionMaxEnlargement = 1
    #expect(try inputWidths(options, frameWidth: 640, frameHeight: 360) == [.face: 640, .plate: 640])
  }

  /// With a larger plate image, a 1080p frame is seen at its own size and a 1440p one shrunk to
  /// it, while 720p is still enlarged only to 1440 px: at 1.5× its large plates leak more.
  @Test func framesBetweenTheEnlargementSizeAndTheLargestAreSeenAtTheirOwnSize() throws {
    var options = AnonymizeOptions()
    options.plateDetectionLongSide = 1920
    #expect(options.enlargementLongSide(for: .plate) == 1440)
    func plateWidth(_ width: Int, _ height: Int) throws -> Int? { try inputWidths(options, frameWidth: width, frameHeight: height)[.plate] }
    #expect(try plateWidth(1920, 1080) == 1920)
    #expect(try plateWidth(1600, 900) == 1600)
    #expect(try plateWidth(2560, 1440) == 1920)
    #expect(try plateWidth(1280, 720) == 1440)
    #expect(try plateWidth(640, 360) == 1280)
    // A largest size under the enlargement size bounds both: every frame is seen at 960 px.
    options.plateDetectionLongSide = 960
    #expect(try plateWidth(1280, 720) == 960)
    #expect(try plateWidth(640, 360) == 960)
  }

  @Test func optionsRecordedBeforeTheEnlargementSizeExistedEnlargeToTheLargestSize() throws {
    let decoded = try recordedBefore("plateEnlargementLongSide", with: ["plateDetectionLongSide": 1920])
    #expect(decoded.enlargementLongSide(for: .plate) == 1920)
    #expect(try inputWidths(decoded, frameWidth: 1280, frameHeight: 720)[.plate] == 1920)
  }

  @Test func optionsRecordedBeforeEnlargementExistedNeverEnlarge() throws {
    let decoded = try recordedBefore("plateDetectionMaxEnlargement")
    #expect(decoded.detectionMaxEnlargement(for: .plate) == 1)
  }

  /// The skewed vanity plate of the 512×512 car photo scores under the plate model's threshold at
  /// the photo's own size and over it at 1.25–1.5 times that size (at 2 it falls just under again:
  /// the model's recall depends on scale, which is why the evaluation sets measure the default).
  @Test func enlargingASmallFrameFindsAPlateMissedAtItsOwnSize() throws {
    let scratch = try Fixtures.scratchDirectory("enlarge")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let clip = scratch.appendingPathComponent("car.mp4")
    try Subprocess.ffmpeg(["-loop", "1", "-framerate", "12", "-t", "0.5", "-i", Fixtures.asset("oim-car_image.webp").path,
                           "-vf", "format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", clip.path])
    let plate = Box(x: 17, y: 323, width: 164, height: 68)
    func platesFound(enlargement: Double) throws -> Int {
      var options = AnonymizeOptions()
      options.classes = [.plate]
      options.plateDetectionMaxEnlargement = enlargement
      let log = scratch.appendingPathComponent("boxes-\(enlargement).jsonl")
      let sidecar = try anonymize(clip, to: scratch.appendingPathComponent("out-\(enlargement).mp4"), options: options,
                                  detectionsLog: log)
      #expect(sidecar.parameters.plateDetectionMaxEnlargement == enlargement)
      var frames = Set<Int>()
      for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let box = try #require(object["box"] as? [Double])
        if Box(x: box[0], y: box[1], width: box[2], height: box[3]).iou(plate) >= 0.3 { frames.insert(try #require(object["frame"] as? Int)) }
      }
      return frames.count
    }
    #expect(try platesFound(enlargement: 1) == 0)
    #expect(try platesFound(enlargement: 1.5) == 6)
  }
}
