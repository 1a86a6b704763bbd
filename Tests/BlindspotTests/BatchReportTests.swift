import Foundation
import Testing

@testable import Blindspot

/// Shard reports and their merge: what a fan-in step decides on.
@Suite struct BatchReportTests {
  func report(_ index: Int, count: Int = 3, started: String = "2026-01-01T00:00:00Z", done: [String] = [], skipped: [String] = [],
              failed: [(String, Blindspot.ExitStatus)] = []) throws -> ShardReport {
    var report = ShardReport(shard: try ShardAssignment(index: index, count: count), started: started, wallSeconds: Double(index + 1),
                             units: done.count + skipped.count + failed.count)
    report.done = done
    report.skipped = skipped
    report.failed = failed.map { .init(unit: $0.0, input: $0.0, status: $0.1.rawValue, retryable: $0.1 == .retryableIO, reason: "r") }
    report.frames = 10 * done.count
    report.exitStatus = ShardReport.exitStatus(of: report.failed).rawValue
    return report
  }

  @Test func exitStatusPutsPolicyThenRetryThenBadInput() {
    func status(_ statuses: [Blindspot.ExitStatus]) -> Blindspot.ExitStatus {
      ShardReport.exitStatus(of: statuses.map { .init(unit: "u", input: "i", status: $0.rawValue, retryable: false, reason: "") })
    }
    #expect(status([]) == .success)
    #expect(status([.badInput]) == .badInput)
    #expect(status([.badInput, .retryableIO]) == .retryableIO)
    #expect(status([.retryableIO, .policy, .badInput]) == .policy)
  }

  @Test func mergingSumsAndFindsMissingShardsAndDoubleWork() throws {
    // Given shard 0, shard 1 failing then rerun, and no shard 2
    let reports = [
      try report(0, done: ["a", "b"]),
      try report(1, started: "2026-01-01T00:00:00Z", done: ["c"], failed: [("d", .retryableIO)]),
      try report(1, started: "2026-01-01T01:00:00Z", done: ["d"], skipped: ["c"]),
    ]
    let summary = try BatchSummary(merging: reports)
    #expect(summary.shardsReported == [0, 1] && summary.shardsMissing == [2])
    #expect(summary.done == 4 && summary.skipped == 0 && summary.failed.isEmpty && summary.doneTwice.isEmpty)
    #expect(summary.frames == 40 && summary.exitStatus == Blindspot.ExitStatus.retryableIO.rawValue)
    // And a unit done by two reports is flagged
    let twice = try BatchSummary(merging: [try report(0, done: ["a"]), try report(1, done: ["a"]), try report(2)])
    #expect(twice.doneTwice == ["a"] && twice.exitStatus == 0)
    // And reports of different shard counts do not merge
    #expect(throws: BlindspotError.self) { try BatchSummary(merging: [try report(0), try report(0, count: 4)]) }
  }

  @Test func aReportRoundTripsThroughItsJSON() throws {
    let original = try report(2, done: ["x"], failed: [("y", .badInput)])
    let decoded = try ShardReport.decode(try original.encoded())
    #expect(decoded == original)
    let text = String(decoding: try original.encoded(), as: UTF8.self)
    #expect(text.contains("\"wall_seconds\"") && text.contains("\"exit_status\" : 2"))
  }
}
