import Foundation
import Logging

/// swift-log handler that writes one JSON object per line to standard error
/// (`{"time","level","label","message", …metadata}`), for log collectors (`log.format: json`).
/// Messages and metadata are the service's own words: no pixels, coordinates or credentials
/// are ever put into them.
public struct JSONLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  private let label: String

  public init(label: String) { self.label = label }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var object: [String: String] = [:]
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[key] = "\(value)" }
    object["time"] = Date().formatted(.iso8601)
    object["level"] = event.level.rawValue
    object["label"] = label
    object["message"] = "\(event.message)"
    guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
    line.append(0x0A)
    FileHandle.standardError.write(line)
  }
}
