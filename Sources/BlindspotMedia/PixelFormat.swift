import CFFmpeg

/// An FFmpeg pixel format. A struct, not an enum, so formats we do not name survive intact.
public struct PixelFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }
  init(_ format: AVPixelFormat) { self.rawValue = format.rawValue }

  var av: AVPixelFormat { AVPixelFormat(rawValue: rawValue) }

  /// Planar YUV 4:2:0, 8-bit. The corresponding C constant is `AV_PIX_FMT_YUV420P`.
  public static var yuv420p: Self { Self(AV_PIX_FMT_YUV420P) }
  /// Packed BGR, 8-bit per channel: what the detectors read. The corresponding C constant is `AV_PIX_FMT_BGR24`.
  public static var bgr24: Self { Self(AV_PIX_FMT_BGR24) }
  /// Semi-planar 4:2:0 (Y plane, interleaved UV plane). The corresponding C constant is `AV_PIX_FMT_NV12`.
  public static var nv12: Self { Self(AV_PIX_FMT_NV12) }
  /// No format. The corresponding C constant is `AV_PIX_FMT_NONE`.
  public static var none: Self { Self(AV_PIX_FMT_NONE) }

  /// FFmpeg's name for the format, such as "yuv420p". The corresponding C function is `av_get_pix_fmt_name`.
  public var name: String {
    guard let name = av_get_pix_fmt_name(av) else { return "unknown(\(rawValue))" }
    return String(cString: name)
  }

  public var description: String { name }

  /// The layout facts the redactor needs, or nil when the format is not one it can edit in place
  /// (packed RGB, palettes, hardware surfaces, bitstream formats).
  public var planeLayout: PlaneLayout? { PlaneLayout(self) }
}

/// How a YUV (or gray) pixel format lays out its planes.
public struct PlaneLayout: Sendable, Equatable {
  public struct Plane: Sendable, Equatable {
    public var channels: Int
    public var shiftX: Int
    public var shiftY: Int
    /// The value of each channel that renders black at limited range (Y 16, chroma 128), scaled to depth.
    public var fill: (UInt16, UInt16)
    public static func == (a: Plane, b: Plane) -> Bool {
      a.channels == b.channels && a.shiftX == b.shiftX && a.shiftY == b.shiftY && a.fill == b.fill
    }
  }

  public var planes: [Plane]
  public var bytesPerSample: Int

  init?(_ format: PixelFormat) {
    guard let descriptor = av_pix_fmt_desc_get(format.av)?.pointee else { return nil }
    let flags = descriptor.flags
    let unsupported = UInt64(AV_PIX_FMT_FLAG_RGB) | UInt64(AV_PIX_FMT_FLAG_PAL) | UInt64(AV_PIX_FMT_FLAG_HWACCEL)
      | UInt64(AV_PIX_FMT_FLAG_BITSTREAM) | UInt64(AV_PIX_FMT_FLAG_BE) | UInt64(AV_PIX_FMT_FLAG_FLOAT)
    guard flags & unsupported == 0, descriptor.nb_components >= 1 else { return nil }
    let components = withUnsafeBytes(of: descriptor.comp) { Array($0.bindMemory(to: AVComponentDescriptor.self)) }
      .prefix(Int(descriptor.nb_components))
    let depth = Int(components[0].depth)
    guard depth >= 8, depth <= 16, components.allSatisfy({ Int($0.depth) == depth }) else { return nil }
    let bytes = depth > 8 ? 2 : 1
    // Every component must sit in its own plane, or share a plane as a tightly interleaved pair
    // (NV12's UV); anything else (packed YUYV) is not editable in place here.
    var byPlane: [Int: [AVComponentDescriptor]] = [:]
    for component in components.prefix(3) { byPlane[Int(component.plane), default: []].append(component) }
    let planeCount = byPlane.keys.count
    guard byPlane.keys.sorted() == Array(0..<planeCount) else { return nil }
    let black = UInt16(16) << (depth - 8), neutral = UInt16(128) << (depth - 8)
    var planes: [Plane] = []
    for index in 0..<planeCount {
      let members = byPlane[index]!
      guard members.count <= 2, members.allSatisfy({ Int($0.step) == bytes * members.count }) else { return nil }
      let isLuma = index == 0
      let shiftX = isLuma ? 0 : Int(descriptor.log2_chroma_w), shiftY = isLuma ? 0 : Int(descriptor.log2_chroma_h)
      let value = isLuma ? black : neutral
      planes.append(Plane(channels: members.count, shiftX: shiftX, shiftY: shiftY, fill: (value, value)))
    }
    // Alpha planes (yuva420p) would be blurred harmlessly but are not expected from cameras.
    self.planes = planes
    self.bytesPerSample = bytes
  }
}
