import Foundation

/// A raw camera segment in the spool, as the journal knows it.
public struct SpoolSegment: Hashable, Sendable {
  /// Event clips (saved, sentry) go before the rolling buffer, and are never skipped.
  public enum Priority: Int, Comparable, Sendable {
    case event = 0
    case rolling = 1

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// Relative to the spool, `/`-separated; the segment's identity and its key in the stores.
  public let path: String
  /// Segments of one group (the cameras of one TeslaCam minute) are taken together.
  public let group: String
  public let priority: Priority

  public init(path: String, group: String, priority: Priority) {
    self.path = path
    self.group = group
    self.priority = priority
  }
}
