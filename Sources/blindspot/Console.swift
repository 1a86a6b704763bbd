import Blindspot
import Foundation

/// The command line's own output: one line per result or failure.
enum Console {
  /// Runs `body`, printing a failure it throws as one line on standard error.
  static func run(_ body: () throws(BlindspotError) -> ExitStatus) -> ExitStatus {
    do {
      return try body()
    } catch {
      Console.error(error)
      return error.status
    }
  }

  static func error(_ error: BlindspotError) {
    FileHandle.standardError.write(Data("blindspot: \(error)\n".utf8))
  }

  static func report(_ sidecar: Sidecar, output: URL) {
    let found = sidecar.counts.detections.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }
    var line = "wrote \(output.path): \(sidecar.counts.frames) frames"
    if !found.isEmpty { line += ", redacted " + found.joined(separator: ", ") + " box(es)" }
    if sidecar.counts.maskedFrames > 0 { line += ", \(sidecar.counts.maskedFrames) frame(s) masked whole (detector failed)" }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
