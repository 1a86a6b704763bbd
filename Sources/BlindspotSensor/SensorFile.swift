import Foundation

/// Anonymizes one sidecar file into another: reads, applies the policy, writes the output under a
/// temporary name, fsyncs and renames it, then writes the report next to it (`OUT.report.json`).
/// A failure leaves nothing under either name.
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
    let directory = output.deletingLastPathComponent()
    let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let temporary = directory.appendingPathComponent(".\(output.lastPathComponent).partial-\(token)")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
          let handle = try? FileHandle(forWritingTo: temporary) else {
      throw SensorError(.badInput, file: output.path, "cannot create the output (missing or read-only directory?)")
    }
    var committed = false
    defer {
      try? handle.close()
      if !committed { try? FileManager.default.removeItem(at: temporary) }
    }
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
      try handle.synchronize()
      guard rename(temporary.path, output.path) == 0 else { throw SensorError(.io, "rename failed") }
      committed = true
      try report.json().write(to: reportURL(for: output), options: .atomic)
    } catch {
      throw SensorError(.io, file: output.path, "cannot write the output or its report")
    }
    return report
  }
}
