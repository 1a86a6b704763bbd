@testable import Blindspot
import BlindspotVision
import Foundation
import Testing

@Suite struct EvaluationMetricsTests {
  let face = GroundTruth.Object(id: "a", objectClass: .face, box: Box(x: 100, y: 100, width: 40, height: 50))

  @Test func coverageIsTheShareOfTheBoxUnderTheUnionOfBoxes() {
    let box = Box(x: 0, y: 0, width: 100, height: 100)
    #expect(EvaluationMetrics.coverage(of: box, by: [box.expanded(by: 0.1)]) == 1)
    #expect(EvaluationMetrics.coverage(of: box, by: []) == 0)
    let halves = [Box(x: 0, y: 0, width: 50, height: 100), Box(x: 50, y: 0, width: 50, height: 100)]
    #expect(EvaluationMetrics.coverage(of: box, by: halves) == 1)
    #expect(abs(EvaluationMetrics.coverage(of: box, by: [halves[0]]) - 0.5) < 0.001)
  }

  @Test func leaksRecallRunsAndPrecisionAreCounted() {
    var metrics = EvaluationMetrics()
    let hiding = (ObjectClass.face, face.box.expanded(by: 0.2))
    let stray = (ObjectClass.face, Box(x: 400, y: 300, width: 30, height: 30))
    // Frames 0–1 hidden, 2–4 leaked (three in a row), 5 hidden; one stray box on frame 5.
    for frame in 0..<6 {
      let boxes = (2...4).contains(frame) ? [] : frame == 5 ? [hiding, stray] : [hiding]
      metrics.add(frame: frame, item: "clip", objects: [face], boxes: boxes, width: 640, height: 360)
    }
    let summary = metrics.classes[.face]!
    #expect(summary.buckets["48-96"] == EvaluationMetrics.Bucket(objectFrames: 6, leaked: 3, found: 3))
    #expect(summary.longestLeakedRun == 3)
    #expect(summary.boxes == 4 && summary.truePositiveBoxes == 3)
    #expect(metrics.meanAreaOutsideTruth > 0)
  }

  /// A plate partly behind a pole leaks only where it can be seen: its visible part covered is
  /// hidden, the same box without the truth's `hidden` part is not.
  @Test func thePartBehindAnOccluderNeedNotBeCovered() {
    let plate = Box(x: 200, y: 100, width: 100, height: 30)
    let pole = Box(x: 260, y: 100, width: 40, height: 30)
    let visiblePart = (ObjectClass.plate, Box(x: 195, y: 97, width: 68, height: 36))
    var occluded = EvaluationMetrics(), whole = EvaluationMetrics()
    occluded.add(frame: 0, item: "clip", objects: [.init(id: "p", objectClass: .plate, box: plate, visible: 0.6, hidden: [pole])],
                 boxes: [visiblePart], width: 640, height: 360)
    whole.add(frame: 0, item: "clip", objects: [.init(id: "p", objectClass: .plate, box: plate, visible: 0.6)],
              boxes: [visiblePart], width: 640, height: 360)
    #expect(EvaluationMetrics.coverage(of: plate, by: [visiblePart.1], except: [pole]) == 1)
    #expect(EvaluationMetrics.coverage(of: plate, by: [visiblePart.1]) < 0.9)
    #expect(EvaluationMetrics.coverage(of: plate, by: [], except: [plate]) == 1, "a box hidden whole cannot leak")
    let leaked = { (m: EvaluationMetrics) in m.classes[.plate]!.buckets.values.reduce(0) { $0 + $1.leaked } }
    #expect(leaked(occluded) == 0 && leaked(whole) == 1)
  }

  @Test func truthFilesMayNameTheHiddenParts() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hidden-\(UUID().uuidString).truth.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("""
      {"schema": "blindspot-truth/1", "width": 640, "height": 360, "frames": [{"frame": 0, "objects": [
        {"id": "plate-1", "class": "plate", "box": [200, 100, 100, 30], "visible": 0.6, "hidden": [[260, 100, 40, 30]]},
        {"id": "face-1", "class": "face", "box": [10, 10, 40, 50]}]}]}
      """.utf8).write(to: url)
    let objects = try GroundTruth.load(url).objects[0] ?? []
    #expect(objects.first { $0.id == "plate-1" }?.hidden == [Box(x: 260, y: 100, width: 40, height: 30)])
    #expect(objects.first { $0.id == "face-1" }?.hidden == [])
  }

  @Test func theReportNamesTheObjectsThatLeakedMost() {
    let plate = GroundTruth.Object(id: "plate-1", objectClass: .plate, box: Box(x: 300, y: 200, width: 60, height: 15),
                                   source: "photo.jpg")
    let smallFace = GroundTruth.Object(id: "face-1", objectClass: .face, box: Box(x: 10, y: 10, width: 16, height: 20))
    var metrics = EvaluationMetrics()
    // The plate leaks on frames 1–2 of 3; the small face (under the 24 px target) on all three; `face` never.
    for frame in 0..<3 {
      var boxes = [(ObjectClass.face, face.box.expanded(by: 0.2))]
      if frame == 0 { boxes.append((.plate, plate.box.expanded(by: 0.1))) }
      metrics.add(frame: frame, item: "clip", objects: [face, plate, smallFace], boxes: boxes, width: 640, height: 360)
    }
    let report = EvaluationReport(items: 1, frames: 3, metrics: metrics, seconds: 1, options: nil)
    #expect(report.mostLeaked == [
      .init(item: "clip", id: "plate-1", objectClass: .plate, source: "photo.jpg", targetLeaked: 2, targetFrames: 3, leaked: 2,
            objectFrames: 3),
      .init(item: "clip", id: "face-1", objectClass: .face, source: nil, targetLeaked: 0, targetFrames: 0, leaked: 3,
            objectFrames: 3),
    ])
    #expect(report.table.contains("clip plate-1 (photo.jpg): 2/3, 2/3"))
  }

  @Test func truthFilesMayNameWhereEachObjectComesFrom() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sources-\(UUID().uuidString).truth.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("""
      {"schema": "blindspot-truth/1", "width": 640, "height": 360,
       "objects": [{"id": "plate-1", "class": "plate", "source": "alpr-test.jpg"}, {"id": "face-1", "class": "face"}],
       "frames": [{"frame": 0, "objects": [{"id": "plate-1", "class": "plate", "box": [200, 100, 100, 30]},
                                          {"id": "face-1", "class": "face", "box": [10, 10, 40, 50]}]}]}
      """.utf8).write(to: url)
    let objects = try GroundTruth.load(url).objects[0] ?? []
    #expect(objects.first { $0.id == "plate-1" }?.source == "alpr-test.jpg")
    #expect(objects.first { $0.id == "face-1" }?.source == nil)
  }

  @Test func objectsFromALeftOutSourceAreNotCounted() throws {
    let plate = GroundTruth.Object(id: "plate-1", objectClass: .plate, box: Box(x: 300, y: 200, width: 60, height: 15),
                                   source: "blurred.jpg")
    let truth = GroundTruth(width: 640, height: 360, frameCount: 1, objects: [0: [face, plate]])
    let item = Evaluator.Item(name: "clip", media: URL(fileURLWithPath: "clip.mp4"), truth: truth)
    let left = try Evaluator.leavingOut(["blurred.jpg"], of: [item])
    var metrics = EvaluationMetrics()
    metrics.add(frame: 0, item: "clip", objects: try #require(left.first?.truth?.objects[0]),
                boxes: [(.plate, plate.box.expanded(by: 0.1))], width: 640, height: 360)
    #expect(metrics.classes[.plate]?.buckets.isEmpty == true, "the left-out plate is not counted")
    #expect(metrics.classes[.plate]?.truePositiveBoxes == 1, "a box over it is still no false positive")
    #expect(metrics.classes[.face]?.buckets["48-96"]?.leaked == 1, "the other objects still count")
    #expect(throws: BlindspotError.self) { try Evaluator.leavingOut(["blurred.jpg", "misspelt.jpg"], of: [item]) }
  }

  @Test func halfHiddenObjectsAreNotCounted() {
    var metrics = EvaluationMetrics()
    var occluded = face
    occluded.visible = 0.3
    metrics.add(frame: 0, item: "clip", objects: [occluded], boxes: [], width: 640, height: 360)
    #expect(metrics.classes[.face] == nil)
  }

  @Test func sizeBucketsFollowTheTargets() {
    func object(_ objectClass: ObjectClass, _ width: Double, _ height: Double) -> GroundTruth.Object {
      GroundTruth.Object(id: "x", objectClass: objectClass, box: Box(x: 0, y: 0, width: width, height: height))
    }
    #expect(EvaluationMetrics.bucket(of: object(.face, 20, 23.9)) == "<24")
    #expect(EvaluationMetrics.bucket(of: object(.face, 20, 24)) == "24-48")
    #expect(EvaluationMetrics.bucket(of: object(.plate, 35, 12)) == "30-40")
    #expect(EvaluationMetrics.bucket(of: object(.plate, 40, 12)) == "40-80")
    #expect(EvaluationMetrics.targetBuckets(of: .plate) == ["40-80", ">=80"])
  }
}

@Suite struct GroundTruthTests {
  @Test func readsTheTruthSchema() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UUID().uuidString).truth.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("""
      {"schema": "blindspot-truth/1", "video": "c.mp4", "width": 640, "height": 360, "fps": 15, "frames_total": 3,
       "frames": [{"frame": 1, "objects": [{"id": "p1", "class": "plate", "box": [1, 2, 30, 10], "visible": 0.8}]}]}
      """.utf8).write(to: url)
    let truth = try GroundTruth.load(url)
    #expect(truth.frameCount == 3 && truth.width == 640)
    #expect(truth.objects[1] == [GroundTruth.Object(id: "p1", objectClass: .plate, box: Box(x: 1, y: 2, width: 30, height: 10), visible: 0.8)])
  }

  @Test func rejectsAnUnknownClassWithTheFileName() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).truth.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(#"{"width": 1, "height": 1, "frames": [{"frame": 0, "objects": [{"class": "cat", "box": [0, 0, 1, 1]}]}]}"#.utf8).write(to: url)
    #expect { try GroundTruth.load(url) } throws: { ($0 as? BlindspotError)?.subject == url.path }
  }

  @Test func readsImglabXMLWithLabelsAndIgnoredBoxes() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imglab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let xml = directory.appendingPathComponent("set.xml")
    try Data("""
      <?xml version='1.0' encoding='ISO-8859-1'?>
      <dataset><name>t</name><images>
        <image file='a.jpg'>
          <box top='10' left='20' width='30' height='40'/>
          <box top='1' left='2' width='3' height='4' ignore='1'/>
          <box top='50' left='60' width='70' height='20'><label>plate</label></box>
        </image>
      </images></dataset>
      """.utf8).write(to: xml)
    let images = try ImglabDataset.load(xml)
    #expect(images.count == 1 && images[0].url.lastPathComponent == "a.jpg")
    #expect(images[0].objects.map(\.objectClass) == [.face, .plate])
    #expect(images[0].objects[0].box == Box(x: 20, y: 10, width: 30, height: 40))
  }
}
