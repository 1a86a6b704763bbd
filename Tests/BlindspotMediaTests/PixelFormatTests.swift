@testable import BlindspotMedia
import CFFmpeg
import Testing

@Suite struct PixelFormatTests {
  @Test func swiftNamesMatchTheCConstants() {
    #expect(PixelFormat.yuv420p.rawValue == AV_PIX_FMT_YUV420P.rawValue)
    #expect(PixelFormat.nv12.rawValue == AV_PIX_FMT_NV12.rawValue)
    #expect(PixelFormat.bgr24.rawValue == AV_PIX_FMT_BGR24.rawValue)
    #expect(PixelFormat.none.rawValue == AV_PIX_FMT_NONE.rawValue)
    #expect(PixelFormat.yuv420p.name == "yuv420p")
  }

  @Test func planarYUVLayoutsCarryTheirSubsampling() throws {
    let yuv420 = try #require(PixelFormat.yuv420p.planeLayout)
    #expect(yuv420.planes.map(\.shiftX) == [0, 1, 1] && yuv420.planes.map(\.shiftY) == [0, 1, 1])
    #expect(yuv420.bytesPerSample == 1 && yuv420.planes[0].fill.0 == 16 && yuv420.planes[1].fill.0 == 128)

    let yuv422 = try #require(PixelFormat(AV_PIX_FMT_YUV422P).planeLayout)
    #expect(yuv422.planes.map(\.shiftY) == [0, 0, 0] && yuv422.planes.map(\.shiftX) == [0, 1, 1])

    let nv12 = try #require(PixelFormat.nv12.planeLayout)
    #expect(nv12.planes.count == 2 && nv12.planes[1].channels == 2)

    let tenBit = try #require(PixelFormat(AV_PIX_FMT_YUV420P10LE).planeLayout)
    #expect(tenBit.bytesPerSample == 2 && tenBit.planes[0].fill.0 == 64 && tenBit.planes[1].fill.0 == 512)

    let gray = try #require(PixelFormat(AV_PIX_FMT_GRAY8).planeLayout)
    #expect(gray.planes.count == 1)
  }

  @Test func formatsTheRedactorCannotEditInPlaceHaveNoLayout() {
    for format in [AV_PIX_FMT_RGB24, AV_PIX_FMT_BGR24, AV_PIX_FMT_YUYV422, AV_PIX_FMT_PAL8, AV_PIX_FMT_VAAPI, AV_PIX_FMT_CUDA] {
      #expect(PixelFormat(format).planeLayout == nil, "\(PixelFormat(format))")
    }
  }
}
