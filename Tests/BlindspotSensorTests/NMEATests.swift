import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct NMEATests {
  let drive = Array(Trace.roundTrip().prefix(120))

  /// `$BODY*hh` with a correct checksum.
  static func sentence(_ body: String) -> String {
    "$" + body + "*" + String(format: "%02X", body.utf8.reduce(UInt8(0), ^))
  }

  @Test func roundTripKeepsPositionTimeSpeedCourseAltitudeAndHDOP() throws {
    // Given a drive written as NMEA
    let text = try Trace.write(drive, as: .nmea)
    // When it is read back
    let (back, skipped) = try Trace.read(text, as: .nmea)
    // Then every sample returns, to NMEA's precision
    #expect(skipped.isEmpty)
    try #require(back.count == drive.count)
    for (a, b) in zip(drive, back) {
      #expect(abs(a.timestamp.timeIntervalSince(b.timestamp)) < 0.001)
      #expect(Geodesy.distance(a.coordinate!, b.coordinate!) < 0.01)
      #expect(abs(a.speed! - b.speed!) < 0.001)
      #expect(abs(a.heading! - b.heading!) < 0.01)
      #expect(abs(a.altitude! - b.altitude!) < 0.01)
      #expect(b.accuracy == a.accuracy)
    }
  }

  @Test func sentencesOfOneFixMergeAndVTGFillsSpeedAndCourse() throws {
    // Given GGA first (no date yet), then RMC of the same second without speed, then VTG
    let text = [
      Self.sentence("GNGGA,123519.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
      Self.sentence("GNRMC,123519.00,A,4807.038,N,01131.000,E,,,010326,,,A"),
      Self.sentence("GNVTG,084.4,T,,M,022.4,N,041.5,K,A"),
      Self.sentence("GNGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00"),
    ].joined(separator: "\r\n")
    // When read
    let (samples, skipped) = try Trace.read(text, as: .nmea)
    // Then one sample has all of it
    #expect(skipped.isEmpty)
    let s = try #require(samples.first)
    #expect(samples.count == 1)
    #expect(s.timestamp == Timestamp.parse("2026-03-01T12:35:19Z"))
    #expect(abs(s.coordinate!.latitude - (48 + 7.038 / 60)) < 1e-9)
    #expect(s.altitude == 545.4)
    #expect(s.accuracy == 0.9)
    #expect(s.heading == 84.4)
    #expect(abs(s.speed! - 41.5 / 3.6) < 1e-9)
  }

  @Test func badSentencesAreSkippedWithTheirLineNumbers() throws {
    // Given a log with a good fix, a corrupted checksum, a missing checksum, an absurd latitude,
    // garbage, a void fix and another good fix
    let good1 = Self.sentence("GPRMC,080000.000,A,4808.228,N,01134.567,E,10.0,90.0,010326,,,A")
    let corrupted = Self.sentence("GPRMC,080001.000,A,4808.228,N,01134.567,E,10.0,90.0,010326,,,A").replacingOccurrences(of: "4808", with: "4809")
    let noChecksum = "$GPRMC,080002.000,A,4808.228,N,01134.567,E,10.0,90.0,010326,,,A"
    let absurd = Self.sentence("GPRMC,080003.000,A,9308.228,N,01134.567,E,10.0,90.0,010326,,,A")
    let minutes = Self.sentence("GPRMC,080004.000,A,4875.000,N,01134.567,E,10.0,90.0,010326,,,A")
    let void = Self.sentence("GPRMC,080005.000,V,,,,,,,010326,,,N")
    let good2 = Self.sentence("GPRMC,080006.000,A,4808.230,N,01134.570,E,10.0,90.0,010326,,,A")
    let text = [good1, corrupted, noChecksum, absurd, "hello", minutes, void, good2].joined(separator: "\n")
    // When read
    let (samples, skipped) = try Trace.read(text, as: .nmea)
    // Then the two good fixes come out and each bad line is listed, none half-used
    #expect(samples.count == 2)
    #expect(skipped.map(\.line) == [2, 3, 4, 5, 6, 7])
    #expect(skipped[0].reason == "checksum mismatch")
    #expect(skipped[1].reason == "missing checksum")
    #expect(skipped[2].reason.contains("out of range"))
    #expect(skipped[3].reason == "not an NMEA sentence")
    #expect(skipped[4].reason.contains("malformed position"))
    #expect(skipped[5].reason.contains("no fix"))
    // And no reason quotes the data
    for s in skipped { #expect(!s.reason.contains("4808") && !s.reason.contains("9308")) }
  }

  @Test func midnightRollsTheDateOver() throws {
    // Given an RMC just before midnight and a GGA just after it
    let text = [Self.sentence("GPRMC,235959.000,A,4808.228,N,01134.567,E,0.0,0.0,280226,,,A"),
                Self.sentence("GPGGA,000001.000,4808.228,N,01134.567,E,1,08,1.0,500.0,M,,M,,")].joined(separator: "\n")
    // When read
    let (samples, _) = try Trace.read(text, as: .nmea)
    // Then the second is two seconds later, on the next day
    try #require(samples.count == 2)
    #expect(samples[1].timestamp.timeIntervalSince(samples[0].timestamp) == 2)
    #expect(Timestamp.format(samples[1].timestamp) == "2026-03-01T00:00:01Z")
  }

  @Test func ggaBeforeAnyDateIsReportedNotGuessed() throws {
    let text = Self.sentence("GPGGA,120000.000,4808.228,N,01134.567,E,1,08,1.0,500.0,M,,M,,")
    let (samples, skipped) = try Trace.read(text, as: .nmea)
    #expect(samples.isEmpty)
    #expect(skipped.map(\.line) == [1])
  }
}
