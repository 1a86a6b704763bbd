import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct SensorSampleTests {
  @Test func coordinatesOffTheGlobeAreInvalid() {
    // Given positions on and off the globe
    let valid = Coordinate(latitude: -89.9, longitude: 179.9)
    let invalid = [Coordinate(latitude: 91, longitude: 0), Coordinate(latitude: 0, longitude: -180.5),
                   Coordinate(latitude: .nan, longitude: 0), Coordinate(latitude: 0, longitude: .infinity)]
    // Then only the first is valid
    #expect(valid.isValid)
    for c in invalid { #expect(!c.isValid) }
  }

  @Test func gearAndAutopilotReadTheirNamesAndKeepUnknownNumbers() {
    #expect(Gear(text: "d") == .drive)
    #expect(Gear(text: "7")?.rawValue == 7)
    #expect(Gear(text: "X") == nil)
    #expect(Gear.reverse.description == "R")
    #expect(AutopilotState(text: "tacc") == .tacc)
    #expect(AutopilotState(text: "9")?.description == "9")
  }

  @Test func timestampsRoundTripInUTCWithMilliseconds() throws {
    // Given instants with and without a fraction, before and after 1970
    for seconds in [0.0, 1_772_352_000.25, 951_782_400.5, -86_400.0, 4_102_444_799.999] {
      let date = Date(timeIntervalSince1970: seconds)
      // When formatted and parsed back
      let text = Timestamp.format(date)
      let back = try #require(Timestamp.parse(text))
      // Then they are equal to the millisecond
      #expect(abs(back.timeIntervalSince1970 - seconds) < 0.0005, "\(text)")
    }
    #expect(Timestamp.format(Date(timeIntervalSince1970: 1_772_352_000.25)) == "2026-03-01T08:00:00.250Z")
    #expect(Timestamp.parse("2026-03-01T09:00:00+01:00") == Date(timeIntervalSince1970: 1_772_352_000))
    #expect(Timestamp.parse("2026-13-01T00:00:00Z") == nil)
    #expect(Timestamp.parse("yesterday") == nil)
  }

  @Test func geohashCellsContainTheirPoint() throws {
    // Given a point and its geohash at precision 7 (~150 m)
    let hash = Geohash.encode(Trace.home, precision: 7)
    // When the cell's centre is taken
    let centre = try #require(Geohash.centre(of: hash))
    // Then it is within the cell's half-diagonal and has the same hash
    #expect(hash.count == 7)
    #expect(Geodesy.distance(centre, Trace.home) < 120)
    #expect(Geohash.encode(centre, precision: 7) == hash)
    #expect(Geohash.encode(Coordinate(latitude: 57.64911, longitude: 10.40744), precision: 11) == "u4pruydqqvj")
  }
}
