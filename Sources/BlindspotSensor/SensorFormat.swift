import Foundation

/// The sidecar formats Blindspot reads and writes.
public enum SensorFormat: String, CaseIterable, Sendable {
  case nmea
  case gpx
  case csv
  case jsonl

  /// The format a file name's extension implies: `.nmea`/`.nma`/`.log`, `.gpx`, `.csv`, `.jsonl`/`.ndjson`.
  public init?(pathExtension: String) {
    switch pathExtension.lowercased() {
    case "nmea", "nma", "log": self = .nmea
    case "gpx": self = .gpx
    case "csv": self = .csv
    case "jsonl", "ndjson": self = .jsonl
    default: return nil
    }
  }

  /// A reader of `url` (`-` or `/dev/stdin` for standard input) in this format.
  public func reader(for url: URL, csvLayout: CSVLayout = .standard) throws -> any SensorReader {
    let name = url.path
    switch self {
    case .gpx:
      return try GPXReader(url: url)
    case .nmea:
      return NMEAReader(lines: try Self.lines(url), file: name)
    case .csv:
      return CSVReader(lines: try Self.lines(url), layout: csvLayout, file: name)
    case .jsonl:
      return JSONLinesReader(lines: try Self.lines(url), file: name)
    }
  }

  /// A writer in this format onto `output`.
  public func writer(to output: TextOutput, csvLayout: CSVLayout = .standard) -> any SensorWriter {
    switch self {
    case .nmea: NMEAWriter(output: output)
    case .gpx: GPXWriter(output: output)
    case .csv: CSVWriter(output: output, layout: csvLayout)
    case .jsonl: JSONLinesWriter(output: output)
    }
  }

  private static func lines(_ url: URL) throws(SensorError) -> LineReader {
    if url.path == "-" || url.path == "/dev/stdin" { return LineReader(handle: .standardInput) }
    do { return try LineReader(url: url) } catch { throw error.inFile(url.path) }
  }
}
