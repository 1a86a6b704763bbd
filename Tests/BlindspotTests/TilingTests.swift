@testable import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

@Suite struct TileGeometryTests {
  @Test func tilesCoverTheFrameAndOverlap() {
    let tiles = StageDetect.tileRegions(width: 1920, height: 1080, grid: 2)
    #expect(tiles.count == 4)
    #expect(tiles.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 1920 && $0.y + $0.height <= 1080 })
    // Every pixel of the frame is in some tile; neighbouring tiles share a band.
    for (x, y) in [(0, 0), (959, 539), (960, 540), (1919, 1079), (1919, 0), (0, 1079)] {
      #expect(tiles.contains { x >= $0.x && x < $0.x + $0.width && y >= $0.y && y < $0.y + $0.height }, "(\(x), \(y))")
    }
    #expect(tiles[0].x + tiles[0].width > tiles[1].x)
    #expect(StageDetect.tileRegions(width: 1920, height: 1080, grid: 1).isEmpty)
  }

  @Test func mergingKeepsTheBestOfOverlappingBoxesAndDropsCutOffParts() {
    let whole = Detection(objectClass: .face, box: Box(x: 100, y: 100, width: 40, height: 50), score: 0.9)
    let again = Detection(objectClass: .face, box: Box(x: 102, y: 101, width: 40, height: 50), score: 0.8)
    let cutOff = Detection(objectClass: .face, box: Box(x: 100, y: 100, width: 15, height: 50), score: 0.95)
    let plate = Detection(objectClass: .plate, box: Box(x: 100, y: 100, width: 40, height: 50), score: 0.7)
    let other = Detection(objectClass: .face, box: Box(x: 400, y: 100, width: 40, height: 50), score: 0.6)
    let merged = StageDetect.merge([whole, again, cutOff, plate, other])
    #expect(Set(merged.map(\.box)) == [cutOff.box, plate.box, other.box] || Set(merged.map(\.box)) == [whole.box, plate.box, other.box])
    #expect(merged.count == 3)
  }
}

/// Small faces in a large frame: dlib's labelled photos pasted at their own size (faces about
/// 37 px tall) into a 1920×1080 frame. The whole-frame pass sees them at a third of that.
@Suite(.timeLimit(.minutes(5))) struct TilingEndToEndTests {
  @Test func tilesFindTheSmallFacesTheWholeFramePassMisses() throws {
    let scratch = try Fixtures.scratchDirectory("tiles")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let clip = scratch.appendingPathComponent("small-faces.mp4")
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=1920x1080:r=10",
                           "-i", Fixtures.asset("dlib-faces/2008_004176.jpg").path,
                           "-i", Fixtures.asset("dlib-faces/2008_007676.jpg").path,
                           "-filter_complex", "[0][1]overlay=100:500[a];[a][2]overlay=1200:100,format=yuv420p",
                           "-frames:v", "3", "-c:v", "libx264", "-crf", "16", clip.path])
    // Both photos' faces (dlib's boxes), moved by the overlay offsets.
    let photos: [(offset: (Int, Int), faces: [[Int]])] = [
      ((100, 500), [[206, 230, 37, 37], [162, 118, 37, 37], [190, 82, 37, 37], [326, 78, 37, 37], [222, 98, 37, 37],
                    [110, 86, 37, 37], [282, 102, 37, 37]]),
      ((1200, 100), [[226, 62, 37, 37], [194, 113, 44, 44], [262, 130, 37, 37], [366, 134, 37, 37], [314, 122, 37, 37],
                     [107, 141, 52, 53], [137, 84, 44, 44]]),
    ]
    let boxes = photos.flatMap { photo in photo.faces.map { ($0[0] + photo.offset.0, $0[1] + photo.offset.1, $0[2], $0[3]) } }
      .enumerated().map { index, f in #"{"id": "f\#(index)", "class": "face", "box": [\#(f.0), \#(f.1), \#(f.2), \#(f.3)]}"# }
    let frames = (0..<3).map { #"{"frame": \#($0), "objects": [\#(boxes.joined(separator: ","))]}"# }
    let truth = URL(fileURLWithPath: clip.path + ".truth.json")
    try Data(#"{"schema": "blindspot-truth/1", "width": 1920, "height": 1080, "frames": [\#(frames.joined(separator: ","))]}"#.utf8).write(to: truth)

    func leakRate(tiles: Int) throws -> Double {
      var options = AnonymizeOptions()
      options.classes = [.face]
      options.tiles = tiles
      // The whole frame seen at a third of its size, by a detector tuned for precision (0.5):
      // the setting where small faces slip through.
      options.detectionLongSide = 640
      options.thresholds[.face] = 0.5
      let evaluator = Evaluator(options: options, detectors: CatalogDetectorFactory(catalog: try ModelCatalog(), options: options))
      return try #require(try evaluator.evaluate(try Evaluator.items(in: truth)).classes[.face]).all.leakRate
    }
    #expect(try leakRate(tiles: 1) > 0.2)
    #expect(try leakRate(tiles: 2) == 0)
  }
}
