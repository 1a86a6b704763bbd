/// A failure to read, configure or write sensor data.
///
/// The message names the file and, where there is one, the line (or byte offset) and the reason.
/// Important: it never carries a coordinate, a key or an identifier from the data — only
/// field names and positions in the file — so it is safe to log.
public struct SensorError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: Hashable, Sendable {
    /// The input cannot be read as the format says (corrupt, truncated, absurd values).
    case badInput
    /// The policy file or an option is wrong: unknown key, bad value, missing secret.
    case configuration
    /// Reading or writing a file failed.
    case io
  }

  public let kind: Kind
  /// The file the failure is about, as the user named it; empty when there is none.
  public var file: String
  /// 1-based line in `file`, when the failure has one.
  public var line: Int?
  public let reason: String

  public init(_ kind: Kind, file: String = "", line: Int? = nil, _ reason: String) {
    self.kind = kind
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String {
    var prefix = file
    if let line { prefix += prefix.isEmpty ? "line \(line)" : ":\(line)" }
    return prefix.isEmpty ? reason : "\(prefix): \(reason)"
  }

  /// The same error, attributed to `file` (when it names none yet).
  public func inFile(_ name: String) -> SensorError {
    var copy = self
    if copy.file.isEmpty { copy.file = name }
    return copy
  }
}
