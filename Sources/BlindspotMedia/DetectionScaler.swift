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

  /// A rectangle of the frame in pixels, for detecting on tiles of large frames.
  public struct Region: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
      self.x = x
      self.y = y
      self.width = width
      self.height = height
    }
  }

  /// Scales `region` of `frame` (the whole frame by default) to `width`×`height` BGR24 and calls
  /// `body` with it. A region's origin is rounded down to the chroma grid (even pixels for 4:2:0).
  /// The corresponding C function is `sws_scale`.
  public func withImage<Result>(
    of frame: borrowing DecodedFrame, region: Region? = nil, width: Int, height: Int, _ body: (Image) throws -> Result
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
    let (sources, area) = try sourcePlanes(of: frame, region: region)
    let context = try scale.prepare(.init(
      sourceWidth: Int32(area.width), sourceHeight: Int32(area.height), sourceFormat: frame.pixelFormat.rawValue,
      targetWidth: Int32(width), targetHeight: Int32(height), targetFormat: PixelFormat.bgr24.rawValue))
    var planes: [UnsafeMutablePointer<UInt8>?] = [target, nil, nil, nil]
    var strides: [Int32] = [Int32(stride), 0, 0, 0]
    let rows = sources.withUnsafeBufferPointer { sourcePointers in
      sws_scale(context, sourcePointers.baseAddress, cff_frame_linesize_array(frame.raw), 0, Int32(area.height), &planes, &strides)
    }
    guard rows == Int32(height) else {
      throw MediaError(.unsupported, code: rows < 0 ? rows : 0, operation: "scale for detection",
                       message: "swscale produced \(rows) of \(height) rows")
    }
    return try body(Image(pixels: UnsafeRawPointer(target), width: width, height: height, stride: stride))
  }

  /// Plane pointers that start at `region`'s origin, and the region after aligning it to the
  /// chroma grid and clipping it to the frame.
  private func sourcePlanes(of frame: borrowing DecodedFrame, region: Region?) throws(MediaError)
    -> ([UnsafePointer<UInt8>?], Region)
  {
    let whole = Region(x: 0, y: 0, width: frame.width, height: frame.height)
    let base = (0..<8).map { UnsafePointer(cff_frame_data(frame.raw, Int32($0))) }
    guard let region, region != whole else { return (base, whole) }
    guard let layout = frame.pixelFormat.planeLayout else {
      throw MediaError(.unsupported, operation: "scale for detection", message: "tiles need a planar YUV frame")
    }
    let alignX = 1 << (layout.planes.map(\.shiftX).max() ?? 0), alignY = 1 << (layout.planes.map(\.shiftY).max() ?? 0)
    let x = max(0, region.x) / alignX * alignX, y = max(0, region.y) / alignY * alignY
    let area = Region(x: x, y: y, width: min(frame.width, region.x + region.width) - x,
                      height: min(frame.height, region.y + region.height) - y)
    precondition(area.width > 0 && area.height > 0, "tile outside the frame")
    var pointers = base
    for (index, plane) in layout.planes.enumerated() {
      let offset = (y >> plane.shiftY) * Int(cff_frame_linesize(frame.raw, Int32(index)))
        + (x >> plane.shiftX) * plane.channels * layout.bytesPerSample
      pointers[index] = base[index].map { $0 + offset }
    }
    return (pointers, area)
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
