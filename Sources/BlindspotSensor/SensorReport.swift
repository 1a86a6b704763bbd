import Foundation

/// What the anonymizer did to one input: counts per rule, trips, and where the output lies
/// (coarsely: bounds rounded outward to 0.1°, about 11 km). Safe to log and to ship.
public struct SensorReport: Hashable, Sendable, Codable {
  /// Why samples were removed.
  public enum Rule: String, CaseIterable, Codable, Sendable {
    /// Inside a privacy zone.
    case zone
    /// Between a zone's edge and the keyed exit margin, where a trip starts or ends in a zone.
    case zoneExit = "zone_exit"
    /// Within the truncated start or end of a trip.
    case truncation
  }

  public struct Bounds: Hashable, Sendable, Codable {
    public var minLatitude: Double
    public var minLongitude: Double
    public var maxLatitude: Double
    public var maxLongitude: Double
    enum CodingKeys: String, CodingKey {
      // camelCase here, snake_case in JSON (minLat → min_lat): the key strategies of the encoder and
      // decoder do the conversion, so a report also round-trips inside another document that uses them.
      case minLatitude = "minLat", minLongitude = "minLon", maxLatitude = "maxLat", maxLongitude = "maxLon"
    }
  }

  public var samplesIn = 0
  public var samplesOut = 0
  public var removed: [String: Int] = [:]
  /// Trips found in the input.
  public var tripsIn = 0
  /// Trips with at least one sample left.
  public var tripsOut = 0
  /// Input lines skipped as unreadable (NMEA).
  public var skippedLines = 0
  /// The first of them, to look at.
  public var firstSkippedLine: Int?
  /// Coarse bounds of the output positions; absent when none were written.
  public var bounds: Bounds?

  enum CodingKeys: String, CodingKey {
    case samplesIn, samplesOut, removed, tripsIn, tripsOut, skippedLines, firstSkippedLine, bounds
  }

  public init() {}

  mutating func count(_ rule: Rule, _ n: Int = 1) { removed[rule.rawValue, default: 0] += n }

  mutating func include(_ c: Coordinate) {
    let tenth = { (v: Double, up: Bool) in (up ? (v * 10).rounded(.up) : (v * 10).rounded(.down)) / 10 }
    let b = Bounds(minLatitude: tenth(c.latitude, false), minLongitude: tenth(c.longitude, false),
                   maxLatitude: tenth(c.latitude, true), maxLongitude: tenth(c.longitude, true))
    guard let old = bounds else { bounds = b; return }
    bounds = Bounds(minLatitude: min(old.minLatitude, b.minLatitude), minLongitude: min(old.minLongitude, b.minLongitude),
                    maxLatitude: max(old.maxLatitude, b.maxLatitude), maxLongitude: max(old.maxLongitude, b.maxLongitude))
  }

  /// The report as JSON with sorted, snake_case keys.
  public func json() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return (try? encoder.encode(self)) ?? Data()
  }

  /// Reads a report written by `json()`.
  public static func decode(_ data: Data) throws -> SensorReport {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(SensorReport.self, from: data)
  }
}
