import Foundation
import GRDB

/// A row of the journal's `segment` table.
public struct SegmentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
  public static let databaseTableName = "segment"

  public var path: String
  public var groupID: String
  public var priority: Int
  public var bytes: Int64
  public var state: SegmentState
  public var discoveredAt: Double
  public var anonymizedAt: Double?
  public var storedAt: Double?
  public var rawDeletedAt: Double?
  public var inputSHA256: String?
  public var outputSHA256: String?
  public var frames: Int?
  /// Retryable failures so far, and the earliest time of the next attempt (seconds since 1970).
  public var attempts: Int
  public var notBefore: Double
  /// The last failure, one line, never a value from the video or its telemetry.
  public var lastError: String?

  init(segment: SpoolSegment, bytes: Int64, discoveredAt: Date) {
    path = segment.path
    groupID = segment.group
    priority = segment.priority.rawValue
    self.bytes = bytes
    state = .discovered
    self.discoveredAt = discoveredAt.timeIntervalSince1970
    attempts = 0
    notBefore = 0
  }

  public var segment: SpoolSegment {
    SpoolSegment(path: path, group: groupID, priority: SpoolSegment.Priority(rawValue: priority) ?? .rolling)
  }
}

/// A row of the journal's `delivery` table: one store holds one segment's output.
public struct DeliveryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
  public static let databaseTableName = "delivery"

  public var path: String
  public var store: String
  public var key: String
  public var bytes: Int64
  public var storedAt: Double
}
