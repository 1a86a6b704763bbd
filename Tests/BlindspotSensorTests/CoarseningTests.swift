import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct CoarseningTests {
  let drive = Trace.roundTrip()

  @Test func gridSnapMovesPointsToFewCellCentresNearby() throws {
    // Given a 500 m grid
    let (out, _) = try SensorAnonymizer.apply(.neutral { $0.spatial = .grid(metres: 500) }, to: drive)
    // Then each point moved at most half a cell diagonal, and 600 samples share a few cells
    for (a, b) in zip(drive, out) { #expect(Geodesy.distance(a.coordinate!, b.coordinate!) <= 360) }
    let cells = Set(out.map { "\($0.coordinate!.latitude),\($0.coordinate!.longitude)" })
    #expect(cells.count >= 4 && cells.count <= 30, "\(cells.count)")
  }

  @Test func geohashSnapsToCellCentres() throws {
    let (out, _) = try SensorAnonymizer.apply(.neutral { $0.spatial = .geohash(precision: 6) }, to: drive)
    for (a, b) in zip(drive, out) {
      #expect(Geohash.encode(a.coordinate!, precision: 6) == Geohash.encode(b.coordinate!, precision: 6))
      #expect(Geodesy.distance(a.coordinate!, b.coordinate!) < 700)
    }
    #expect(Set(out.map(\.coordinate)).count < 15)
  }

  @Test func timesRoundAndShiftByOneKeyedOffsetPerTrip() throws {
    // Given a drive starting at a fractional second, rounding to 10 s and shifts up to an hour
    let fractional = Trace.drive(legs: [(0, 500)], start: Trace.start.addingTimeInterval(3.4))
    let policy = SensorPolicy.neutral { $0.timeRounding = 10; $0.timeShiftMax = 3600 }
    // When anonymized twice, and with another key
    let (out, _) = try SensorAnonymizer.apply(policy, to: fractional)
    let again = try SensorAnonymizer.apply(policy, to: fractional).samples
    var other = policy
    other.key = Trace.otherKey
    let otherOut = try SensorAnonymizer.apply(other, to: fractional).samples
    // Then every time is a multiple of 10 s, the shift is within the hour and the same for the
    // whole trip, repeatable under one key and different under another
    #expect(out.allSatisfy { $0.timestamp.timeIntervalSince1970.truncatingRemainder(dividingBy: 10) == 0 })
    let shift = out[0].timestamp.timeIntervalSince(fractional[0].timestamp)
    #expect(abs(shift) <= 3600 + 5 && abs(shift) > 5)
    #expect(abs(out.last!.timestamp.timeIntervalSince(fractional.last!.timestamp) - shift) <= 10)
    #expect(out == again)
    #expect(otherOut[0].timestamp != out[0].timestamp)
  }

  @Test func speedHeadingAndAltitudeRoundToTheirSteps() throws {
    var drive = Array(self.drive.prefix(5))
    drive[0].speed = 13.37
    drive[0].heading = 358.4
    drive[0].altitude = 522.6
    let (out, _) = try SensorAnonymizer.apply(.neutral { $0.speedStep = 0.5; $0.headingStep = 5; $0.altitudeStep = 5 }, to: drive)
    #expect(out[0].speed == 13.5)
    #expect(out[0].heading == 0)
    #expect(out[0].altitude == 525)
  }

  @Test func theAllowListDropsEverythingElse() throws {
    // Given an output for driving analytics: speed and acceleration only
    let (out, report) = try SensorAnonymizer.apply(.neutral { $0.fields = [.speed, .acceleration]; $0.extras = [] }, to: drive)
    // Then no position, heading, signals or extras remain
    try #require(!out.isEmpty)
    for s in out {
      #expect(s.coordinate == nil && s.heading == nil && s.altitude == nil && s.gyro == nil)
      #expect(s.vehicle.isEmpty && s.extras.isEmpty)
      #expect(s.speed != nil && s.acceleration != nil)
    }
    #expect(report.bounds == nil)
  }

  @Test func theReportGivesOnlyCoarseBounds() throws {
    let (out, report) = try SensorAnonymizer.apply(.neutral(), to: drive)
    let bounds = try #require(report.bounds)
    for value in [bounds.minLatitude, bounds.maxLatitude, bounds.minLongitude, bounds.maxLongitude] {
      #expect(abs(value * 10 - (value * 10).rounded()) < 1e-9, "\(value)")
    }
    #expect(out.allSatisfy { ($0.coordinate!.latitude >= bounds.minLatitude) && ($0.coordinate!.longitude <= bounds.maxLongitude) })
    let json = String(decoding: report.json(), as: UTF8.self)
    #expect(json.contains("\"samples_in\" : \(drive.count)"))
    #expect(!json.contains("48.137"))
  }
}
