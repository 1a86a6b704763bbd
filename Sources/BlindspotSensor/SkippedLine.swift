/// A line the reader skipped, and why. Carries the line number only, never the line's content.
public struct SkippedLine: Hashable, Sendable, CustomStringConvertible {
  public let line: Int
  public let reason: String
  public init(line: Int, reason: String) {
    self.line = line
    self.reason = reason
  }
  public var description: String { "line \(line): \(reason)" }

  /// How many skipped lines a reader lists; beyond that it only counts them.
  public static let keptAtMost = 1000
}
