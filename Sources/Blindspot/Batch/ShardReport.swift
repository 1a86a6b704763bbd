import BlindspotFiles
import Foundation

/// What one worker did with its shard, written at the end of `blindspot batch` (`--report`) for a
/// fan-in step to merge (`blindspot batch-report`, `BatchSummary`). Names inputs and units, never
/// content.
public struct ShardReport: Codable, Sendable, Equatable {
  /// An item that could not be anonymized, and whether retrying the shard may help.
  public struct Failure: Codable, Sendable, Equatable {
    public var unit: String
    public var input: String
    /// The exit code this failure alone would give (2 bad input, 3 policy, 4 retryable, 1 usage).
    public var status: Int32
    public var retryable: Bool
    public var reason: String
  }

  /// One item's outcome.
  public struct Item: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case done, skipped, failed }
    public var unit: String
    public var input: String
    /// Where the output is (path or `s3://` URI); nil when it failed.
    public var output: String?
    public var outcome: Outcome
    public var frames: Int
    public var bytesIn: Int64
    public var bytesOut: Int64
    public var seconds: Double
  }

  public var shard: ShardAssignment
  public var tool = BlindspotVersion.current
  /// ISO 8601, UTC.
  public var started: String
  public var wallSeconds: Double
  /// Units of the work list this shard owns.
  public var units: Int
  /// Unit ids anonymized by this run, skipped (already done and matching), failed.
  public var done: [String] = []
  public var skipped: [String] = []
  public var failed: [Failure] = []
  public var items: [Item] = []
  /// Frames encoded and bytes read and written by this run (skipped items count nothing).
  public var frames = 0
  public var bytesIn: Int64 = 0
  public var bytesOut: Int64 = 0
  public var exitStatus: Int32 = 0

  /// The exit status of a run with these failures: 1 when a configuration error showed up late,
  /// then 3 for a policy violation (retrying cannot help, someone must look), 4 when some failure
  /// is retryable (the engine should run the shard again; finished units are then skipped), 2 when
  /// only bad inputs failed (recorded, not retried), 0 when none failed.
  public static func exitStatus(of failures: [Failure]) -> ExitStatus {
    let statuses = Set(failures.map(\.status))
    for status in [ExitStatus.usage, .policy, .retryableIO, .badInput] where statuses.contains(status.rawValue) {
      return status
    }
    return failures.isEmpty ? .success : .retryableIO
  }

  /// Pretty, key-sorted JSON with snake_case keys.
  public func encoded() throws -> Data { try ReportJSON.encoder().encode(self) }

  public static func decode(_ data: Data) throws -> ShardReport { try ReportJSON.decoder().decode(ShardReport.self, from: data) }
}

extension ShardReport {
  /// Writes the report to `url` atomically (a fan-in step never reads half a report).
  public func write(to url: URL) throws(BlindspotError) {
    do { try AtomicFile.write(try encoded(), to: url) } catch {
      throw BlindspotError(.retryableIO, subject: url.path, reason: "cannot write the shard report (\(error.localizedDescription))")
    }
  }
}
