import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct TruncationTests {
  let drive = Trace.roundTrip()
  let spacing = 10.0

  @Test(arguments: [200.0, 500.0, 1234.0])
  func metreTruncationRemovesExactlyThatDistanceAtEachEnd(metres: Double) throws {
    // Given a 6 km loop and truncation of `metres`
    let (out, report) = try SensorAnonymizer.apply(.neutral { $0.truncation = .metres(metres) }, to: drive)
    // Then the first and last kept samples are `metres` from the ends, within one sample spacing
    let along = Trace.alongTrack(drive)
    let firstKept = try #require(out.first), lastKept = try #require(out.last)
    let first = try #require(drive.firstIndex(of: firstKept))
    let last = try #require(drive.firstIndex(of: lastKept))
    #expect(along[first] >= metres && along[first] < metres + spacing, "\(along[first])")
    #expect(along.last! - along[last] >= metres && along.last! - along[last] < metres + spacing, "\(along.last! - along[last])")
    #expect(out == Array(drive[first...last]))
    #expect(report.removed == ["truncation": drive.count - out.count])
  }

  @Test func secondTruncationRemovesThatTimeAtEachEnd() throws {
    let (out, _) = try SensorAnonymizer.apply(.neutral { $0.truncation = .seconds(90) }, to: drive)
    #expect(out.first!.timestamp.timeIntervalSince(drive.first!.timestamp) == 90)
    #expect(drive.last!.timestamp.timeIntervalSince(out.last!.timestamp) == 90)
  }

  @Test func isOnByDefault() throws {
    // Given the default policy
    let (out, _) = try SensorAnonymizer.apply(SensorPolicy(), to: drive)
    // Then 200 m go at each end
    #expect(out.count == drive.count - 2 * 20)
  }

  @Test func aTripShorterThanBothEndsDisappears() throws {
    let short = Trace.drive(legs: [(0, 300)])
    let (out, report) = try SensorAnonymizer.apply(.neutral { $0.truncation = .metres(200) }, to: short)
    #expect(out.isEmpty)
    #expect(report.removed["truncation"] == short.count)
  }

  @Test func everyTripLosesItsEndsWhenATimeGapSplitsThem() throws {
    // Given two drives 20 minutes apart, in one file
    let second = Trace.drive(from: Geodesy.offset(Trace.home, metres: 5000, bearing: 0), legs: [(0, 1000)],
                             start: drive.last!.timestamp.addingTimeInterval(1200))
    let (out, report) = try SensorAnonymizer.apply(.neutral { $0.truncation = .metres(100); $0.tripGap = 600 }, to: drive + second)
    // Then there are two trips, each 10 samples shorter at each end
    #expect(report.tripsIn == 2 && report.tripsOut == 2)
    #expect(out.count == drive.count + second.count - 4 * 10)
    #expect(!out.contains(second.first!) && !out.contains(second.last!))
    // And with a longer allowed gap they are one trip
    let joined = try SensorAnonymizer.apply(.neutral { $0.truncation = .metres(100); $0.tripGap = 3600 }, to: drive + second)
    #expect(joined.report.tripsIn == 1)
  }
}
