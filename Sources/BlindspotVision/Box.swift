/// An axis-aligned rectangle in pixels (or in normalized units, where a type says so).
public struct Box: Hashable, Sendable, Codable, CustomStringConvertible {
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double

  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  public var maxX: Double { x + width }
  public var maxY: Double { y + height }
  public var area: Double { max(0, width) * max(0, height) }
  public var isEmpty: Bool { width <= 0 || height <= 0 }
  public var centerX: Double { x + width / 2 }
  public var centerY: Double { y + height / 2 }

  /// Grown by `fraction` of its width on the left and right and of its height on top and bottom.
  public func expanded(by fraction: Double) -> Box {
    Box(x: x - width * fraction, y: y - height * fraction,
        width: width * (1 + 2 * fraction), height: height * (1 + 2 * fraction))
  }

  /// Scaled about the origin: maps normalized coordinates to pixels, or one resolution to another.
  public func scaled(x sx: Double, y sy: Double) -> Box {
    Box(x: x * sx, y: y * sy, width: width * sx, height: height * sy)
  }

  public func intersection(_ other: Box) -> Box {
    let x0 = max(x, other.x), y0 = max(y, other.y)
    let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
    return Box(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
  }

  /// Intersection over union; 0 for disjoint or empty boxes.
  public func iou(_ other: Box) -> Double {
    let shared = intersection(other).area
    let union = area + other.area - shared
    return union > 0 ? shared / union : 0
  }

  /// The smallest whole-pixel rectangle that covers this box, clipped to `width`×`height`.
  /// Rounding outward means a redaction never stops a fraction of a pixel short of the object.
  public func pixelRect(clippedToWidth frameWidth: Int, height frameHeight: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
    let x0 = max(0, Int(x.rounded(.down))), y0 = max(0, Int(y.rounded(.down)))
    let x1 = min(frameWidth, Int(maxX.rounded(.up))), y1 = min(frameHeight, Int(maxY.rounded(.up)))
    guard x1 > x0, y1 > y0 else { return nil }
    return (x0, y0, x1 - x0, y1 - y0)
  }

  public var description: String {
    "(\(Int(x.rounded())), \(Int(y.rounded())), \(Int(width.rounded()))×\(Int(height.rounded())))"
  }
}
