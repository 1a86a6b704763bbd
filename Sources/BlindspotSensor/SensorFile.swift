import BlindspotFiles
import Foundation

/// Anonymizes one sidecar file into another: reads, applies the policy, writes the output as an
/// `AtomicFile`, then the report next to it (`OUT.report.json`). A failure leaves nothing under
/// either name.
public enum SensorFile {
  /// The report's file for `output`.
  public static func reportURL(for output: URL) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".report.json")
  }

  /// Runs the whole job. Errors carry the file they are about (input, output or policy).
  @discardableResult
  public static func anonymize(input: URL, inputFormat: SensorFormat, output: URL, outputFormat: SensorFormat,
                               policy: SensorPolicy, csvLayout: CSVLayout = .standard) throws(SensorError) -> SensorReport {
    if input.standardizedFileURL.path == output.standardizedFileURL.path {
      throw SensorError(.badInput, file: output.path, "output is the input")
    }
    let file = AtomicFile(finalURL: output)
    guard FileManager.default.createFile(atPath: file.temporaryURL.path, contents: nil),
          let handle = try? FileHandle(forWritingTo: file.temporaryURL) else {
      throw SensorError(.badInput, file: output.path, "cannot create the output (missing or read-only directory?)")
    }
    defer { try? handle.close() }
    let report: SensorReport
    do {
      let reader = try inputFormat.reader(for: input, csvLayout: csvLayout)
      let writer = outputFormat.writer(to: TextOutput(handle: handle), csvLayout: csvLayout)
      report = try SensorAnonymizer.run(policy: policy, reader: reader, writer: writer)
    } catch let error as SensorError {
      throw error.kind == .io ? SensorError(.io, file: output.path, error.reason) : error.inFile(input.path)
    } catch {
      throw SensorError(.io, file: output.path, "write failed")
    }
    do {
      try file.commit()
      try AtomicFile.write(report.json(), to: reportURL(for: output))
    } catch {
      throw SensorError(.io, file: output.path, "cannot write the output or its report")
    }
    return report
  }
}
