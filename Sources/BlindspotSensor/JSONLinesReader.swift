import Foundation

/// Reads JSON Lines: one object per line (see `JSONLineRecord`); blank lines are skipped.
public final class JSONLinesReader: SensorReader {
  private let lines: LineReader
  private let file: String
  private let decoder = JSONDecoder()
  public let skipped: [SkippedLine] = []

  public init(lines: LineReader, file: String) {
    self.lines = lines
    self.file = file
  }

  public func forEach(_ body: (SensorSample, Int) throws -> Void) throws {
    do throws(any Error) {
      while let text = try lines.next() {
        let line = lines.lineNumber
        if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
        let record: JSONLineRecord
        do { record = try decoder.decode(JSONLineRecord.self, from: Data(text.utf8)) } catch {
          throw SensorError(.badInput, line: line, "not a sample object (\(Self.describe(error)))")
        }
        let sample: SensorSample
        do { sample = try record.sample() } catch { throw SensorError(.badInput, line: line, error.reason) }
        if let problem = SampleCheck.problem(in: sample) { throw SensorError(.badInput, line: line, problem) }
        try body(sample, line)
      }
    } catch {
      throw (error as? SensorError)?.inFile(file) ?? error
    }
  }

  /// A decoding error as field names only (`DecodingError`'s own text may quote the data).
  private static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "invalid JSON" }
    switch error {
    case .keyNotFound(let key, _): return "missing \(key.stringValue)"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    case .dataCorrupted: return "invalid JSON"
    @unknown default: return "invalid JSON"
    }
  }
}
