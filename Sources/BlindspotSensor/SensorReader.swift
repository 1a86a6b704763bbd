/// Reads samples from one input, in input order, handing them on one at a time.
///
/// Readers stream: they hold one line (or one XML element) at a time, never the whole file.
/// Not thread-safe; one reader per input.
public protocol SensorReader: AnyObject {
  /// Reads every sample and hands each to `body` with the 1-based line it ends on.
  /// Throws `SensorError` (kind `.badInput`, with the line) on input it cannot read as its format;
  /// an error thrown by `body` ends reading and is rethrown.
  func forEach(_ body: (SensorSample, Int) throws -> Void) throws
  /// Lines that were skipped rather than failing the whole input (NMEA: bad checksums, bad fields);
  /// the first `SkippedLine.keptAtMost` of them, so a corrupt file cannot grow memory.
  var skipped: [SkippedLine] { get }
  /// How many lines were skipped in all.
  var skippedCount: Int { get }
}

extension SensorReader {
  public var skippedCount: Int { skipped.count }
}
