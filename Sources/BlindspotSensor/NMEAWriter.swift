import Foundation

/// Writes NMEA 0183: per sample with a position, one `GPRMC` (position, speed, course, date)
/// and one `GPGGA` (position, HDOP from `accuracy`, altitude), with checksums.
///
/// NMEA carries positions only: a sample without a coordinate is not written, and IMU values,
/// vehicle signals and extras have no place in it. Times are written to the millisecond,
/// positions to 10⁻⁶ minute (about 2 mm).
public final class NMEAWriter: SensorWriter {
  private let output: TextOutput

  public init(output: TextOutput) { self.output = output }

  public func write(_ sample: SensorSample, trip: Int) throws {
    guard let c = sample.coordinate else { return }
    let totalMillis = Int64((sample.timestamp.timeIntervalSince1970 * 1000).rounded())
    let days = Int64((Double(totalMillis) / 86_400_000).rounded(.down))
    let millisOfDay = totalMillis - days * 86_400_000
    let (y, m, d) = Timestamp.civil(fromDays: days)
    let time = String(format: "%02lld%02lld%02lld.%03lld", millisOfDay / 3_600_000, millisOfDay / 60_000 % 60,
                      millisOfDay / 1000 % 60, millisOfDay % 1000)
    let date = String(format: "%02lld%02lld%02lld", d, m, y % 100)
    let lat = Self.angle(abs(c.latitude), degreeDigits: 2) + (c.latitude < 0 ? ",S" : ",N")
    let lon = Self.angle(abs(c.longitude), degreeDigits: 3) + (c.longitude < 0 ? ",W" : ",E")
    let knots = sample.speed.map { NumberText.fixed($0 * 3600 / 1852, 4) } ?? ""
    let course = sample.heading.map { NumberText.fixed($0, 2) } ?? ""
    try output.write(Self.sentence("GPRMC,\(time),A,\(lat),\(lon),\(knots),\(course),\(date),,,A"))
    let hdop = sample.accuracy.map { NumberText.fixed($0, 2) } ?? ""
    let altitude = sample.altitude.map { NumberText.fixed($0, 2) } ?? ""
    try output.write(Self.sentence("GPGGA,\(time),\(lat),\(lon),1,08,\(hdop),\(altitude),M,,M,,"))
  }

  public func finish() throws { try output.flush() }

  /// `$BODY*hh\r\n`.
  static func sentence(_ body: String) -> String {
    let checksum = body.utf8.reduce(UInt8(0), ^)
    return "$" + body + "*" + String(format: "%02X", checksum) + "\r\n"
  }

  private static func angle(_ value: Double, degreeDigits: Int) -> String {
    var degrees = value.rounded(.down)
    var minutes = ((value - degrees) * 60 * 1_000_000).rounded() / 1_000_000
    if minutes >= 60 { degrees += 1; minutes -= 60 }
    return String(format: "%0\(degreeDigits)d", Int(degrees)) + String(format: "%09.6f", minutes)
  }
}
