import CVision

/// How a redacted region looks.
public enum RedactionStyle: String, CaseIterable, Codable, Sendable {
  /// Smooth blur that keeps only a rough colour layout (a handful of cells across the box).
  case blur
  /// Coarse mosaic.
  case pixelate
  /// Solid black.
  case fill
}

/// One plane of a frame being redacted (Y, U, V, or NV12's interleaved UV), valid during one call.
public struct RedactionPlane {
  public var data: UnsafeMutableRawPointer
  public var linesize: Int
  public var width: Int
  public var height: Int
  public var channels: Int
  public var bytesPerSample: Int
  public var shiftX: Int
  public var shiftY: Int
  public var fill: (UInt16, UInt16)

  public init(data: UnsafeMutableRawPointer, linesize: Int, width: Int, height: Int, channels: Int,
              bytesPerSample: Int, shiftX: Int, shiftY: Int, fill: (UInt16, UInt16)) {
    self.data = data
    self.linesize = linesize
    self.width = width
    self.height = height
    self.channels = channels
    self.bytesPerSample = bytesPerSample
    self.shiftX = shiftX
    self.shiftY = shiftY
    self.fill = fill
  }
}

/// Hides regions of a frame by editing its planes in place. Stateless and thread-safe.
public struct Redactor: Sendable {
  public var style: RedactionStyle

  public init(style: RedactionStyle = .blur) { self.style = style }

  /// Redacts every box (luma pixel coordinates; clipped to the frame) on every plane.
  /// The corresponding C function is `bs_redact`.
  public func redact(_ boxes: [Box], planes: [RedactionPlane], frameWidth: Int, frameHeight: Int) throws(VisionError) {
    try Self.apply(boxes, style: style, planes: planes, frameWidth: frameWidth, frameHeight: frameHeight)
  }

  /// Paints the whole frame black: what fail-closed means for a frame that could not be checked.
  public func maskWholeFrame(planes: [RedactionPlane], frameWidth: Int, frameHeight: Int) throws(VisionError) {
    let whole = Box(x: 0, y: 0, width: Double(frameWidth), height: Double(frameHeight))
    try Self.apply([whole], style: .fill, planes: planes, frameWidth: frameWidth, frameHeight: frameHeight)
  }

  private static func apply(_ boxes: [Box], style: RedactionStyle, planes: [RedactionPlane], frameWidth: Int,
                            frameHeight: Int) throws(VisionError) {
    let rects = boxes.compactMap { $0.pixelRect(clippedToWidth: frameWidth, height: frameHeight) }
      .map { bs_rect(x: Int32($0.x), y: Int32($0.y), width: Int32($0.width), height: Int32($0.height)) }
    guard !rects.isEmpty else { return }
    let cPlanes = planes.map {
      bs_plane(data: $0.data.assumingMemoryBound(to: UInt8.self), linesize: Int32($0.linesize), width: Int32($0.width),
               height: Int32($0.height), channels: Int32($0.channels), bytes_per_sample: Int32($0.bytesPerSample),
               shift_x: Int32($0.shiftX), shift_y: Int32($0.shiftY), fill: ($0.fill.0, $0.fill.1))
    }
    let cStyle: bs_style = switch style {
    case .blur: BS_STYLE_BLUR
    case .pixelate: BS_STYLE_PIXELATE
    case .fill: BS_STYLE_FILL
    }
    var error = [CChar](repeating: 0, count: 256)
    let status = bs_redact(cPlanes, Int32(cPlanes.count), rects, Int32(rects.count), cStyle, &error, error.count)
    guard status == BS_OK else { throw VisionError(.redaction, "redaction failed: \(shimMessage(error))") }
  }
}
