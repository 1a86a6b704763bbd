import Foundation

/// Reads CSV (RFC 4180 quoting; a header line first) through a `CSVLayout`, one line at a time.
/// A row with a malformed value or an absurd position is an error naming its line.
public final class CSVReader: SensorReader {
  private let lines: LineReader
  private let layout: CSVLayout
  private let file: String
  public let skipped: [SkippedLine] = []

  public init(lines: LineReader, layout: CSVLayout, file: String) {
    self.lines = lines
    self.layout = layout
    self.file = file
  }

  public func forEach(_ body: (SensorSample, Int) throws -> Void) throws {
    do throws(any Error) {
      guard let headerLine = try lines.next() else { throw SensorError(.badInput, line: 1, "empty CSV (no header)") }
      let headers = try Self.split(headerLine, line: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      // For each column index, the value it fills (nil: ignored).
      let mapping: [CSVLayout.Value?] = headers.map { header in layout.columns.first { $0.header == header }?.value }
      guard mapping.contains(.field(.time)) else { throw SensorError(.badInput, line: 1, "CSV header has no time column") }
      while let text = try lines.next() {
        let line = lines.lineNumber
        if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
        let cells = try Self.split(text, line: line)
        guard cells.count == headers.count else {
          throw SensorError(.badInput, line: line, "\(cells.count) cells, header has \(headers.count)")
        }
        var sample = SensorSample(timestamp: .distantPast)
        for (value, cell) in zip(mapping, cells) {
          switch value {
          case .field(let field)?:
            do { try field.set(Substring(cell), in: &sample) } catch {
              throw SensorError(.badInput, line: line, error.reason)
            }
          case .extra(let key)?:
            if !cell.isEmpty { sample.extras[key] = cell }
          case nil: break
          }
        }
        guard sample.timestamp != .distantPast else { throw SensorError(.badInput, line: line, "row without a time") }
        if let c = sample.coordinate, c.latitude.isNaN != c.longitude.isNaN {
          throw SensorError(.badInput, line: line, "latitude without longitude (or the reverse)")
        }
        if let problem = SampleCheck.problem(in: sample) { throw SensorError(.badInput, line: line, problem) }
        try body(sample, line)
      }
    } catch {
      throw (error as? SensorError)?.inFile(file) ?? error
    }
  }

  /// Splits one CSV line into cells (quotes: `"a,b"`, `""` for a quote). Quoted line breaks are
  /// not supported: sensor data has none, and a reader that joins lines could not bound memory.
  static func split(_ line: String, line number: Int) throws(SensorError) -> [String] {
    var cells: [String] = []
    var cell = ""
    var quoted = false
    var chars = line.makeIterator()
    var wasQuote = false
    while let ch = chars.next() {
      if quoted {
        if ch == "\"" { quoted = false; wasQuote = true } else { cell.append(ch) }
        continue
      }
      switch ch {
      case "\"":
        if wasQuote { cell.append("\"") }
        quoted = true
      case ",":
        cells.append(cell)
        cell = ""
      default:
        cell.append(ch)
      }
      wasQuote = false
    }
    guard !quoted else { throw SensorError(.badInput, line: number, "unterminated quote") }
    cells.append(cell)
    return cells
  }
}
