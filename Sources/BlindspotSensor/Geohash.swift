/// Geohash cells (https://en.wikipedia.org/wiki/Geohash): precision 5 is ~4.9 km, 6 ~1.2 km,
/// 7 ~150 m, 8 ~38 m (cell width at the equator).
public enum Geohash {
  private static let alphabet = Array("0123456789bcdefghjkmnpqrstuvwxyz")

  /// The geohash of `c` with `precision` characters (1…12).
  public static func encode(_ c: Coordinate, precision: Int) -> String {
    var lat = (-90.0, 90.0), lon = (-180.0, 180.0)
    var hash = ""
    var bits = 0, value = 0, even = true
    while hash.count < precision {
      if even {
        let mid = (lon.0 + lon.1) / 2
        if c.longitude >= mid { value = value << 1 | 1; lon.0 = mid } else { value <<= 1; lon.1 = mid }
      } else {
        let mid = (lat.0 + lat.1) / 2
        if c.latitude >= mid { value = value << 1 | 1; lat.0 = mid } else { value <<= 1; lat.1 = mid }
      }
      even.toggle()
      bits += 1
      if bits == 5 {
        hash.append(alphabet[value])
        bits = 0
        value = 0
      }
    }
    return hash
  }

  /// The centre of the cell `hash` names; `nil` for a character outside the alphabet.
  public static func centre(of hash: String) -> Coordinate? {
    var lat = (-90.0, 90.0), lon = (-180.0, 180.0)
    var even = true
    for ch in hash {
      guard let index = alphabet.firstIndex(of: ch) else { return nil }
      for shift in stride(from: 4, through: 0, by: -1) {
        let bit = (index >> shift) & 1
        if even {
          let mid = (lon.0 + lon.1) / 2
          if bit == 1 { lon.0 = mid } else { lon.1 = mid }
        } else {
          let mid = (lat.0 + lat.1) / 2
          if bit == 1 { lat.0 = mid } else { lat.1 = mid }
        }
        even.toggle()
      }
    }
    return Coordinate(latitude: (lat.0 + lat.1) / 2, longitude: (lon.0 + lon.1) / 2)
  }
}
