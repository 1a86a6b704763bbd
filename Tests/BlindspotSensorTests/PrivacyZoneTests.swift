import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct PrivacyZoneTests {
  let home = PrivacyZone.circle(radius: 300)
  let margin = 100.0...400.0
  let spacing = 10.0  // metres between samples of the fixtures (10 m/s, 1 Hz)

  @Test func aTripFromHomeBackHomeKeepsItsMiddleOnly() throws {
    // Given a drive that leaves home and comes back, and a 300 m zone around home
    let drive = Trace.roundTrip()
    let policy = SensorPolicy.neutral { $0.zones = [home]; $0.zoneExitMargin = margin }
    // When anonymized
    let (out, report) = try SensorAnonymizer.apply(policy, to: drive)
    // Then what is left lies outside the zone, and starts and ends between 100 and 400 m
    // (plus one sample spacing) along the road beyond the zone's edge
    try #require(!out.isEmpty)
    #expect(out.allSatisfy { !home.contains($0.coordinate!) })
    let along = Trace.alongTrack(drive)
    let exit = try #require(drive.firstIndex { !home.contains($0.coordinate!) })
    let entry = try #require(drive.lastIndex { !home.contains($0.coordinate!) })
    let first = try #require(drive.firstIndex { $0.timestamp == out.first!.timestamp })
    let last = try #require(drive.firstIndex { $0.timestamp == out.last!.timestamp })
    #expect((margin.lowerBound...margin.upperBound + spacing).contains(along[first] - along[exit]))
    #expect((margin.lowerBound...margin.upperBound + spacing).contains(along[entry] - along[last]))
    // And the far corner of the loop, the middle of the trip, is kept
    let corner = drive[200]
    #expect(out.contains { $0.timestamp == corner.timestamp && $0.coordinate == corner.coordinate })
    #expect(report.removed["zone"] ?? 0 > 0 && report.removed["zone_exit"] ?? 0 > 0)
    #expect(report.samplesOut == out.count && report.samplesIn == drive.count)
  }

  @Test func aTraceThroughAZoneLosesOnlyWhatIsInside() throws {
    // Given a drive that starts and ends far from a 200 m zone that it crosses in the middle
    let drive = Trace.drive(legs: [(90, 3000)])
    let clinic = PrivacyZone.circle("clinic", around: Geodesy.offset(Trace.home, metres: 1500, bearing: 90), radius: 200)
    // When anonymized
    let (out, report) = try SensorAnonymizer.apply(.neutral { $0.zones = [clinic] }, to: drive)
    // Then exactly the samples inside are gone, both sides stay whole
    let inside = drive.filter { clinic.contains($0.coordinate!) }
    #expect(inside.count >= 39 && inside.count <= 41)
    #expect(out.count == drive.count - inside.count)
    #expect(out.first == drive.first && out.last == drive.last)
    #expect(report.removed == ["zone": inside.count])
  }

  @Test func aTraceEndingInAZoneIsCutOutsideItsEdge() throws {
    // Given a drive that ends at home, arriving from 2 km west
    let origin = Geodesy.offset(Trace.home, metres: 2000, bearing: 270)
    let drive = Trace.drive(from: origin, legs: [(90, 2000)])
    #expect(home.contains(drive.last!.coordinate!))
    // When anonymized
    let (out, _) = try SensorAnonymizer.apply(.neutral { $0.zones = [home]; $0.zoneExitMargin = margin }, to: drive)
    // Then the start is untouched and the end stops outside the zone, a keyed margin before its edge
    #expect(out.first == drive.first)
    let lastKept = try #require(out.last?.coordinate)
    #expect(!home.contains(lastKept))
    let edgeDistance = Geodesy.distance(lastKept, Trace.home) - 300
    #expect(edgeDistance >= margin.lowerBound - spacing && edgeDistance <= margin.upperBound + spacing, "\(edgeDistance)")
  }

  @Test func cutPointsScatterAcrossTripsSoTheZoneCannotBeIntersected() throws {
    // Given twenty trips leaving home on different days
    var starts: [Double] = []
    for day in 0..<20 {
      let drive = Trace.drive(legs: [(45, 1500)], start: Trace.start.addingTimeInterval(Double(day) * 86_400))
      let (out, _) = try SensorAnonymizer.apply(.neutral { $0.zones = [home]; $0.zoneExitMargin = margin }, to: drive)
      starts.append(Geodesy.distance(out.first!.coordinate!, Trace.home))
    }
    // Then each trip starts somewhere else between 400 m (edge + 100) and 700 m (edge + 400)
    #expect(starts.allSatisfy { $0 >= 300 + margin.lowerBound - spacing && $0 <= 300 + margin.upperBound + spacing })
    #expect(starts.max()! - starts.min()! > 150)
    #expect(Set(starts.map { Int($0) }).count >= 15)
  }

  @Test func cutPointsAreKeyed() throws {
    // Given the same trip under two keys
    let drive = Trace.drive(legs: [(45, 1500)])
    let a1 = try SensorAnonymizer.apply(.neutral { $0.zones = [home] }, to: drive).samples
    let a2 = try SensorAnonymizer.apply(.neutral { $0.zones = [home] }, to: drive).samples
    let b = try SensorAnonymizer.apply(.neutral { $0.zones = [home]; $0.key = Trace.otherKey }, to: drive).samples
    // Then one key always cuts in the same place, the other elsewhere
    #expect(a1 == a2)
    #expect(a1.first?.timestamp != b.first?.timestamp)
  }

  @Test func polygonsContainTheirInsideOnly() {
    // Given a 400 m square around home
    let corners = [(225.0), 315, 45, 135].map { Geodesy.offset(Trace.home, metres: 283, bearing: $0) }
    let square = PrivacyZone(name: "depot", shape: .polygon(corners))
    // Then home and points 150 m away are inside; 250 m away they are not
    #expect(square.contains(Trace.home))
    for bearing in stride(from: 0.0, to: 360, by: 30) {
      #expect(square.contains(Geodesy.offset(Trace.home, metres: 150, bearing: bearing)))
      #expect(!square.contains(Geodesy.offset(Trace.home, metres: 290, bearing: bearing)))
    }
  }

  @Test func aTripWhollyInsideAZoneDisappears() throws {
    let drive = Trace.drive(legs: [(0, 100)])
    let (out, report) = try SensorAnonymizer.apply(.neutral { $0.zones = [home] }, to: drive)
    #expect(out.isEmpty)
    #expect(report.tripsIn == 1 && report.tripsOut == 0)
    #expect(report.bounds == nil)
  }

  @Test func samplesWithoutPositionFollowTheirNeighbours() throws {
    // Given a drive from home where every third sample lost its fix
    var drive = Trace.drive(legs: [(90, 1500)])
    for i in stride(from: 1, to: drive.count, by: 3) { drive[i].coordinate = nil }
    // When anonymized with the home zone
    let (out, _) = try SensorAnonymizer.apply(.neutral { $0.zones = [home] }, to: drive)
    // Then no position-less sample survives from before the first kept positioned one
    let firstPositioned = try #require(out.first { $0.coordinate != nil })
    #expect(out.first == firstPositioned)
    #expect(out.contains { $0.coordinate == nil })
  }
}
