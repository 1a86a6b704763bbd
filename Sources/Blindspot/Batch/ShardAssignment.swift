import Crypto
import Foundation

/// Which units this worker owns: unit `u` belongs to shard `hash(u.id) mod count`, where the hash
/// is the first 8 bytes of SHA-256 of the id, big-endian. It depends on nothing but the id, so
/// re-listing, reordering or growing the work list never moves a unit to another shard.
public struct ShardAssignment: Hashable, Sendable, Codable {
  public let index: Int
  public let count: Int
  /// Where index and count came from: `flags`, `kubernetes`, `aws-batch`, `slurm`, `cloud-run`, or
  /// `default` (one worker, every shard).
  public let source: String

  public init(index: Int, count: Int, source: String = "flags") throws(BlindspotError) {
    guard count >= 1 else { throw BlindspotError(.usage, subject: "--shard-count", reason: "must be at least 1 (got \(count))") }
    guard (0..<count).contains(index) else {
      throw BlindspotError(.usage, subject: "--shard-index", reason: "must be in 0..<\(count) (got \(index), from \(source))")
    }
    self.index = index
    self.count = count
    self.source = source
  }

  /// The shard of a unit id among `count` shards.
  public static func shard(of id: String, count: Int) -> Int {
    let digest = Array(SHA256.hash(data: Data(id.utf8)))
    let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    return Int(value % UInt64(count))
  }

  public func owns(_ unit: BatchUnit) -> Bool { Self.shard(of: unit.id, count: count) == index }

  /// The array engines' variables, in the order they are looked at: index variable, count
  /// variable (nil: the engine has none; `--shard-count` must be given), engine name.
  static let engines: [(index: String, count: String?, name: String)] = [
    ("JOB_COMPLETION_INDEX", nil, "kubernetes"),
    ("AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE", "aws-batch"),
    ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "slurm"),
    ("CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT", "cloud-run"),
  ]

  /// `--shard-index`/`--shard-count` where given, else the first array engine's variables found
  /// in `environment`, else shard 0 of 1. Slurm's task ids start at `SLURM_ARRAY_TASK_MIN`
  /// (`--array=1-64`), which is subtracted.
  public static func resolve(index: Int?, count: Int?,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws(BlindspotError) -> ShardAssignment {
    if let index, let count { return try ShardAssignment(index: index, count: count) }
    for engine in engines {
      guard let text = environment[engine.index], !text.isEmpty else { continue }
      guard var found = Int(text) else {
        throw BlindspotError(.usage, subject: engine.index, reason: "not an integer ('\(text)')")
      }
      if engine.name == "slurm", let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap({ Int($0) }) { found -= minimum }
      var total = count
      if total == nil, let name = engine.count, let text = environment[name], !text.isEmpty {
        guard let value = Int(text) else { throw BlindspotError(.usage, subject: name, reason: "not an integer ('\(text)')") }
        total = value
      }
      guard let total else {
        throw BlindspotError(.usage, subject: "--shard-count",
                             reason: "\(engine.index) is set but the shard count is not: pass --shard-count (the job's completions/array size)")
      }
      return try ShardAssignment(index: index ?? found, count: total, source: index == nil ? engine.name : "flags")
    }
    if index != nil { throw BlindspotError(.usage, subject: "--shard-index", reason: "needs --shard-count") }
    if count != nil {
      throw BlindspotError(.usage, subject: "--shard-count",
                           reason: "needs --shard-index or an array engine's index variable (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID, CLOUD_RUN_TASK_INDEX)")
    }
    return try ShardAssignment(index: 0, count: 1, source: "default")
  }
}
