import CFFmpeg

/// Makes the small packed-BGR copy of a frame that detectors read, straight from the YUV planes
/// with an area filter: no full-resolution RGB frame is ever made.
///
/// The copy lives in one buffer owned by the scaler and reused for every frame; it is handed out
/// only inside `withImage`, so it cannot outlive the call or reach a file.
/// Not thread-safe; owned by the detect stage.
public final class DetectionScaler {
  private let scale = ScaleContext(flags: SWS_AREA)
  fileprivate let thumbnailScale = ScaleContext(flags: SWS_AREA)
  private var buffer: UnsafeMutableRawPointer?
  private var capacity = 0

  public init() {}

  deinit { buffer?.deallocate() }

  /// A view of the scaled image, valid only inside `withImage`.
  public struct Image {
    public let pixels: UnsafeRawPointer
    public let width: Int
    public let height: Int
    public let stride: Int
  }

  /// Scales `frame` to `width`×`height` BGR24 and calls `body` with it.
  /// The corresponding C function is `sws_scale`.
  public func withImage<Result>(
    of frame: borrowing DecodedFrame, width: Int, height: Int, _ body: (Image) throws -> Result
  ) throws -> Result {
    precondition(width > 0 && height > 0, "detector image size must be positive")
    // Important: swscale's SIMD converters write whole blocks of pixels, past the end of a row
    // (up to 45 bytes seen for BGR24). Rows get 64 spare bytes and the buffer a spare row, so
    // the last row cannot write past the allocation.
    let stride = ((width * 3 + 63) & ~63) + 64
    if capacity < stride * (height + 1) {
      buffer?.deallocate()
      capacity = stride * (height + 1)
      buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }
    let target = buffer!.assumingMemoryBound(to: UInt8.self)
    let context = try scale.prepare(.init(
      sourceWidth: Int32(frame.width), sourceHeight: Int32(frame.height), sourceFormat: frame.pixelFormat.rawValue,
      targetWidth: Int32(width), targetHeight: Int32(height), targetFormat: PixelFormat.bgr24.rawValue))
    var planes: [UnsafeMutablePointer<UInt8>?] = [target, nil, nil, nil]
    var strides: [Int32] = [Int32(stride), 0, 0, 0]
    let rows = sws_scale(context, cff_frame_data_array(frame.raw), cff_frame_linesize_array(frame.raw), 0,
                         Int32(frame.height), &planes, &strides)
    guard rows == Int32(height) else {
      throw MediaError(.unsupported, code: rows < 0 ? rows : 0, operation: "scale for detection",
                       message: "swscale produced \(rows) of \(height) rows")
    }
    return try body(Image(pixels: UnsafeRawPointer(target), width: width, height: height, stride: stride))
  }
}

extension DetectionScaler {
  /// A tiny grayscale copy of `frame` (`width`×`height` bytes, area-averaged), for cheap
  /// frame-to-frame comparisons such as scene-cut detection. Too small to show anyone.
  public func thumbnail(of frame: borrowing DecodedFrame, width: Int, height: Int) throws -> [UInt8] {
    var pixels = [UInt8](repeating: 0, count: width * height)
    let context = try thumbnailScale.prepare(.init(
      sourceWidth: Int32(frame.width), sourceHeight: Int32(frame.height), sourceFormat: frame.pixelFormat.rawValue,
      targetWidth: Int32(width), targetHeight: Int32(height), targetFormat: AV_PIX_FMT_GRAY8.rawValue))
    // swscale may write a few bytes past a row: convert into a padded scratch row set, then copy.
    let stride = ((width + 63) & ~63) + 64
    var scratch = [UInt8](repeating: 0, count: stride * (height + 1))
    let rows = scratch.withUnsafeMutableBufferPointer { buffer -> Int32 in
      var planes: [UnsafeMutablePointer<UInt8>?] = [buffer.baseAddress, nil, nil, nil]
      var strides: [Int32] = [Int32(stride), 0, 0, 0]
      return sws_scale(context, cff_frame_data_array(frame.raw), cff_frame_linesize_array(frame.raw), 0,
                       Int32(frame.height), &planes, &strides)
    }
    guard rows == Int32(height) else {
      throw MediaError(.unsupported, operation: "thumbnail", message: "swscale produced \(rows) of \(height) rows")
    }
    for row in 0..<height { pixels[(row * width)..<((row + 1) * width)] = scratch[(row * stride)..<(row * stride + width)] }
    return pixels
  }
}

@available(*, unavailable, message: "A scaler is confined to the detect stage")
extension DetectionScaler: Sendable {}
