import Foundation

/// The shard reports of one batch run merged (`blindspot batch-report shard-*.json`): totals,
/// every failure, the shards that reported nothing, and any unit that more than one report says
/// it anonymized (which a correct sharding never produces).
public struct BatchSummary: Codable, Sendable, Equatable {
  public var shardCount: Int
  /// Shard indexes with a report, and those without one (not run, or killed before the end).
  public var shardsReported: [Int]
  public var shardsMissing: [Int]
  public var units: Int
  public var done: Int
  public var skipped: Int
  public var failed: [ShardReport.Failure]
  /// Units anonymized by more than one report.
  public var doneTwice: [String]
  public var frames: Int
  public var bytesIn: Int64
  public var bytesOut: Int64
  /// The longest shard's wall time.
  public var wallSeconds: Double
  /// As `ShardReport.exitStatus(of:)`, and 4 when a shard is missing (run it again).
  public var exitStatus: Int32

  /// Merges reports of one run (same shard count). Several reports of one shard (a rerun after a
  /// failure) are all counted: a unit skipped in the rerun was done by the first run.
  public init(merging reports: [ShardReport]) throws(BlindspotError) {
    let counts = Set(reports.map(\.shard.count))
    guard counts.count <= 1 else {
      throw BlindspotError(.usage, subject: "", reason: "the reports come from runs with different shard counts (\(counts.sorted()))")
    }
    shardCount = counts.first ?? 0
    let indexes = Set(reports.map(\.shard.index))
    shardsReported = indexes.sorted()
    shardsMissing = (0..<shardCount).filter { !indexes.contains($0) }
    // The latest report of a shard says what is still failing; units are counted once per shard.
    var latest: [Int: ShardReport] = [:]
    for report in reports where (latest[report.shard.index]?.started ?? "") <= report.started { latest[report.shard.index] = report }
    units = latest.values.reduce(0) { $0 + $1.units }
    failed = latest.keys.sorted().flatMap { latest[$0]?.failed ?? [] }
    var doneBy: [String: Int] = [:]
    for report in reports { for unit in report.done { doneBy[unit, default: 0] += 1 } }
    doneTwice = doneBy.filter { $0.value > 1 }.keys.sorted()
    done = doneBy.count
    skipped = Set(latest.values.flatMap(\.skipped)).subtracting(doneBy.keys).count
    frames = reports.reduce(0) { $0 + $1.frames }
    bytesIn = reports.reduce(0) { $0 + $1.bytesIn }
    bytesOut = reports.reduce(0) { $0 + $1.bytesOut }
    wallSeconds = reports.map(\.wallSeconds).max() ?? 0
    let status = ShardReport.exitStatus(of: failed)
    exitStatus = status == .success && !shardsMissing.isEmpty ? ExitStatus.retryableIO.rawValue : status.rawValue
  }

  public func encoded() throws -> Data { try ReportJSON.encoder().encode(self) }
}
