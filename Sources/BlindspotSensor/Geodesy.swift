import Foundation

/// Distances and positions on a spherical Earth, precise to well under a metre over a city.
public enum Geodesy {
  /// Mean Earth radius in metres (IUGG).
  public static let earthRadius = 6_371_008.8
  /// Metres per degree of latitude on that sphere.
  public static let metresPerDegree = earthRadius * .pi / 180

  /// Great-circle distance in metres (haversine).
  public static func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
    let φ1 = a.latitude * .pi / 180, φ2 = b.latitude * .pi / 180
    let dφ = φ2 - φ1, dλ = (b.longitude - a.longitude) * .pi / 180
    let h = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
    return 2 * earthRadius * asin(min(1, sqrt(h)))
  }

  /// The point `metres` from `origin` along `bearing` (degrees from north), on a local flat
  /// approximation: fine for the few kilometres that zones and fixtures span.
  public static func offset(_ origin: Coordinate, metres: Double, bearing: Double) -> Coordinate {
    let θ = bearing * .pi / 180
    let dLat = metres * cos(θ) / metresPerDegree
    let dLon = metres * sin(θ) / (metresPerDegree * cos(origin.latitude * .pi / 180))
    return Coordinate(latitude: origin.latitude + dLat, longitude: origin.longitude + dLon)
  }

  /// East/north metres of `point` from `origin`, on a local flat approximation.
  static func localXY(_ point: Coordinate, origin: Coordinate) -> (x: Double, y: Double) {
    let x = (point.longitude - origin.longitude) * metresPerDegree * cos(origin.latitude * .pi / 180)
    let y = (point.latitude - origin.latitude) * metresPerDegree
    return (x, y)
  }
}
