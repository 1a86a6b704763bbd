import Foundation

/// Receives the progress of a batch worker: units of the shard, frames across the items running
/// at once, each unit's outcome. Called from several threads at once (`--jobs`).
public protocol BatchProgress: Sendable {
  func started(shard: ShardAssignment, units: Int)
  /// `count` more frames were encoded (by any running item).
  func encoded(frames count: Int)
  func finished(unit: String, outcome: ShardReport.Item.Outcome, reason: String?)
  func finished(report: ShardReport)
}

/// Prints nothing (`--quiet`).
public struct SilentBatchProgress: BatchProgress {
  public init() {}
  public func started(shard: ShardAssignment, units: Int) {}
  public func encoded(frames count: Int) {}
  public func finished(unit: String, outcome: ShardReport.Item.Outcome, reason: String?) {}
  public func finished(report: ShardReport) {}
}
