/// A place whose visitors must not be inferable from the data: a home, a workplace, a clinic.
/// Samples inside are removed, and trips that start or end inside are cut back beyond its edge.
public struct PrivacyZone: Hashable, Sendable {
  public enum Shape: Hashable, Sendable {
    /// A circle of `radius` metres around `centre`.
    case circle(centre: Coordinate, radius: Double)
    /// A simple polygon (vertices in order; closing edge implied).
    case polygon([Coordinate])
  }

  /// A label for reports (never the coordinates).
  public var name: String
  public var shape: Shape

  public init(name: String, shape: Shape) {
    self.name = name
    self.shape = shape
  }

  public func contains(_ point: Coordinate) -> Bool {
    switch shape {
    case .circle(let centre, let radius):
      return Geodesy.distance(centre, point) <= radius
    case .polygon(let vertices):
      // Even-odd ray casting in a local plane around the first vertex.
      guard let origin = vertices.first, vertices.count >= 3 else { return false }
      let p = Geodesy.localXY(point, origin: origin)
      let v = vertices.map { Geodesy.localXY($0, origin: origin) }
      var inside = false
      var j = v.count - 1
      for i in 0..<v.count {
        if (v[i].y > p.y) != (v[j].y > p.y),
           p.x < (v[j].x - v[i].x) * (p.y - v[i].y) / (v[j].y - v[i].y) + v[i].x {
          inside.toggle()
        }
        j = i
      }
      return inside
    }
  }
}
