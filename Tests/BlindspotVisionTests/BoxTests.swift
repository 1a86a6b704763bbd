import BlindspotVision
import Testing

@Suite struct BoxTests {
  @Test func expandedGrowsEverySideByTheFraction() {
    let box = Box(x: 100, y: 50, width: 40, height: 20).expanded(by: 0.25)
    #expect(box == Box(x: 90, y: 45, width: 60, height: 30))
  }

  @Test func pixelRectRoundsOutwardAndClips() throws {
    let rect = try #require(Box(x: 10.6, y: 3.2, width: 5.1, height: 2.2).pixelRect(clippedToWidth: 100, height: 100))
    // 10.6 … 15.7 must cover pixels 10 through 15; 3.2 … 5.4 covers rows 3 through 5.
    #expect(rect.x == 10 && rect.width == 6 && rect.y == 3 && rect.height == 3)
    let clipped = try #require(Box(x: -5, y: 90, width: 20, height: 30).pixelRect(clippedToWidth: 100, height: 100))
    #expect(clipped.x == 0 && clipped.width == 15 && clipped.y == 90 && clipped.height == 10)
    #expect(Box(x: 120, y: 0, width: 10, height: 10).pixelRect(clippedToWidth: 100, height: 100) == nil)
  }

  @Test func iouOfDisjointIdenticalAndHalfOverlappingBoxes() {
    let a = Box(x: 0, y: 0, width: 10, height: 10)
    #expect(a.iou(a) == 1)
    #expect(a.iou(Box(x: 20, y: 20, width: 5, height: 5)) == 0)
    #expect(abs(a.iou(Box(x: 5, y: 0, width: 10, height: 10)) - 50.0 / 150.0) < 1e-12)
  }
}
