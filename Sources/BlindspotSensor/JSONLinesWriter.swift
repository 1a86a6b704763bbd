import Foundation

/// Writes JSON Lines with sorted keys, so equal samples give equal bytes.
public final class JSONLinesWriter: SensorWriter {
  private let output: TextOutput
  private let encoder: JSONEncoder

  public init(output: TextOutput) {
    self.output = output
    encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  }

  public func write(_ sample: SensorSample, trip: Int) throws {
    let data: Data
    do { data = try encoder.encode(JSONLineRecord(sample)) } catch { throw SensorError(.io, "cannot encode a sample") }
    try output.write(String(decoding: data, as: UTF8.self) + "\n")
  }

  public func finish() throws { try output.flush() }
}
