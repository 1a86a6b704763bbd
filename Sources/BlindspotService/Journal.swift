import Foundation
import GRDB

/// The service's durable memory: one row per segment with its state, one row per store that
/// holds its output. Every state change is one SQLite transaction, synchronous on disk before it
/// returns, so a crash at any moment leaves a state the service resumes from (invariant 5).
///
/// Thread-safety: `Sendable`; GRDB serializes access to the database.
public final class Journal: Sendable {
  private let database: DatabaseQueue

  public init(url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var configuration = Configuration()
    configuration.prepareDatabase { db in
      // FULL: a committed state change survives power loss, not just a process crash.
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    database = try DatabaseQueue(path: url.path, configuration: configuration)
    try Self.migrator.migrate(database)
  }

  private static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.create(table: "segment") { table in
        table.primaryKey("path", .text)
        table.column("groupID", .text).notNull()
        table.column("priority", .integer).notNull()
        table.column("bytes", .integer).notNull()
        table.column("state", .text).notNull().indexed()
        table.column("discoveredAt", .double).notNull()
        table.column("anonymizedAt", .double)
        table.column("storedAt", .double)
        table.column("rawDeletedAt", .double)
        table.column("inputSHA256", .text)
        table.column("outputSHA256", .text)
        table.column("frames", .integer)
        table.column("attempts", .integer).notNull().defaults(to: 0)
        table.column("notBefore", .double).notNull().defaults(to: 0)
        table.column("lastError", .text)
      }
      try db.create(table: "delivery") { table in
        table.column("path", .text).notNull().references("segment", onDelete: .cascade)
        table.column("store", .text).notNull()
        table.column("key", .text).notNull()
        table.column("bytes", .integer).notNull()
        table.column("storedAt", .double).notNull()
        table.primaryKey(["path", "store"])
      }
    }
    return migrator
  }

  /// Adds segments not seen before as `discovered`; returns how many were new.
  @discardableResult
  public func discover(_ segments: [(segment: SpoolSegment, bytes: Int64)], at time: Date = Date()) throws -> Int {
    try database.write { db in
      var added = 0
      for (segment, bytes) in segments where try SegmentRecord.fetchOne(db, key: segment.path) == nil {
        try SegmentRecord(segment: segment, bytes: bytes, discoveredAt: time).insert(db)
        added += 1
      }
      return added
    }
  }

  /// Records a live stream's segment, anonymized as it was recorded (there is no raw file).
  public func addAnonymized(_ segment: SpoolSegment, bytes: Int64, outputSHA256: String, frames: Int, at time: Date = Date()) throws {
    try database.write { db in
      var record = SegmentRecord(segment: segment, bytes: bytes, discoveredAt: time)
      record.state = .anonymized
      record.anonymizedAt = time.timeIntervalSince1970
      record.outputSHA256 = outputSHA256
      record.frames = frames
      try record.insert(db, onConflict: .ignore)
    }
  }

  public func segment(_ path: String) throws -> SegmentRecord? {
    try database.read { db in try SegmentRecord.fetchOne(db, key: path) }
  }

  public func all() throws -> [SegmentRecord] {
    try database.read { db in try SegmentRecord.order(Column("path")).fetchAll(db) }
  }

  /// Segments with work to do and not waiting for a retry, events first, then oldest group first.
  public func due(at time: Date = Date(), limit: Int = 64) throws -> [SegmentRecord] {
    try database.read { db in
      try SegmentRecord
        .filter(SegmentState.open.map(\.rawValue).contains(Column("state")))
        .filter(Column("notBefore") <= time.timeIntervalSince1970)
        .order(Column("priority"), Column("groupID"), Column("path"))
        .limit(limit)
        .fetchAll(db)
    }
  }

  /// Whether a segment in `folder` (spool-relative, "" for the top), other than `path`, is still
  /// to be anonymized or stored: the files it shares with `path` (a TeslaCam event's `event.json`,
  /// raw in the spool and anonymized in the outbox) are still needed.
  public func hasOpenSegment(in folder: String, otherThan path: String) throws -> Bool {
    let prefix = folder.isEmpty ? "" : folder + "/"
    let length = prefix.unicodeScalars.count  // SQLite's substr counts characters (code points), not bytes
    return try database.read { db in
      try SegmentRecord
        .filter(SegmentState.open.map(\.rawValue).contains(Column("state")))
        .filter(Column("path") != path)
        .filter(sql: "substr(path, 1, ?) = ? AND instr(substr(path, ? + 1), '/') = 0",
                arguments: [length, prefix, length])
        .fetchCount(db) > 0
    }
  }

  /// Stored segments whose raw file is still to be deleted (`delete_raw_after: stored`).
  public func storedWithRaw() throws -> [SegmentRecord] {
    try database.read { db in try SegmentRecord.filter(Column("state") == SegmentState.stored.rawValue).fetchAll(db) }
  }

  public func markAnonymized(_ path: String, inputSHA256: String?, outputSHA256: String, frames: Int, at time: Date = Date()) throws {
    try update(path) { record in
      record.state = .anonymized
      record.anonymizedAt = time.timeIntervalSince1970
      record.inputSHA256 = inputSHA256
      record.outputSHA256 = outputSHA256
      record.frames = frames
      record.lastError = nil
      record.notBefore = 0
    }
  }

  /// Records that `store` holds the output; when every one of `allStores` does, the segment is
  /// `stored` in the same transaction.
  public func recordDelivery(_ path: String, store: String, key: String, bytes: Int64, allStores: Set<String>,
                             at time: Date = Date()) throws {
    try database.write { db in
      try DeliveryRecord(path: path, store: store, key: key, bytes: bytes, storedAt: time.timeIntervalSince1970).upsert(db)
      let delivered = Set(try DeliveryRecord.filter(Column("path") == path).fetchAll(db).map(\.store))
      if allStores.isSubset(of: delivered), var record = try SegmentRecord.fetchOne(db, key: path) {
        record.state = .stored
        record.storedAt = time.timeIntervalSince1970
        record.lastError = nil
        try record.update(db)
      }
    }
  }

  public func deliveries(of path: String) throws -> [DeliveryRecord] {
    try database.read { db in try DeliveryRecord.filter(Column("path") == path).order(Column("store")).fetchAll(db) }
  }

  public func allDeliveries() throws -> [DeliveryRecord] {
    try database.read { db in try DeliveryRecord.order(Column("path"), Column("store")).fetchAll(db) }
  }

  public func markRawDeleted(_ path: String, at time: Date = Date()) throws {
    try update(path) { record in
      precondition(record.state == .stored, "a raw segment is deleted only after it is stored")
      record.state = .rawDeleted
      record.rawDeletedAt = time.timeIntervalSince1970
    }
  }

  /// A failure that a retry will not fix: the segment leaves the queue, its raw file stays.
  public func markFailed(_ path: String, reason: String) throws {
    try update(path) { record in
      record.state = .failed
      record.lastError = reason
    }
  }

  /// A failure that may pass (store unreachable, disk full): the segment keeps its state and
  /// waits `delay` before the next attempt.
  public func markRetry(_ path: String, reason: String, delay: TimeInterval, at time: Date = Date()) throws {
    try update(path) { record in
      record.attempts += 1
      record.lastError = reason
      record.notBefore = time.timeIntervalSince1970 + delay
    }
  }

  /// Sends a segment back to `discovered` (its staged output was lost or changed), counted as
  /// an attempt so a segment that keeps failing this way ends as `failed`, not in a loop.
  public func restart(_ path: String, reason: String, delay: TimeInterval, maxAttempts: Int, at time: Date = Date()) throws {
    try update(path) { record in
      record.attempts += 1
      record.lastError = reason
      if record.attempts >= maxAttempts {
        record.state = .failed
      } else {
        record.state = .discovered
        record.notBefore = time.timeIntervalSince1970 + delay
      }
    }
  }

  public func mark(_ path: String, _ state: SegmentState, reason: String) throws {
    try update(path) { record in
      record.state = state
      record.lastError = reason
    }
  }

  /// Segments per state, every state present (zero when none).
  public func counts() throws -> [SegmentState: Int] {
    try database.read { db in
      var counts = Dictionary(uniqueKeysWithValues: SegmentState.allCases.map { ($0, 0) })
      for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM segment GROUP BY state") {
        if let state = SegmentState(rawValue: row["state"]) { counts[state] = row["n"] }
      }
      return counts
    }
  }

  /// Bytes of raw segments still waiting to be anonymized, per priority.
  public func backlogBytes() throws -> [SpoolSegment.Priority: Int64] {
    try database.read { db in
      var bytes: [SpoolSegment.Priority: Int64] = [.event: 0, .rolling: 0]
      let sql = "SELECT priority, SUM(bytes) AS total FROM segment WHERE state = ? GROUP BY priority"
      for row in try Row.fetchAll(db, sql: sql, arguments: [SegmentState.discovered.rawValue]) {
        if let priority = SpoolSegment.Priority(rawValue: row["priority"]) { bytes[priority] = row["total"] }
      }
      return bytes
    }
  }

  /// The oldest rolling-buffer segments waiting to be anonymized, oldest first.
  public func oldestWaitingRolling(limit: Int) throws -> [SegmentRecord] {
    try database.read { db in
      try SegmentRecord
        .filter(Column("state") == SegmentState.discovered.rawValue && Column("priority") == SpoolSegment.Priority.rolling.rawValue)
        .order(Column("groupID"), Column("path"))
        .limit(limit)
        .fetchAll(db)
    }
  }

  private func update(_ path: String, _ change: @escaping @Sendable (inout SegmentRecord) -> Void) throws {
    try database.write { db in
      guard var record = try SegmentRecord.fetchOne(db, key: path) else {
        preconditionFailure("journal update of a segment it never recorded")
      }
      change(&record)
      try record.update(db)
    }
  }
}
