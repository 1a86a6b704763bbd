import ArgumentParser
import Blindspot
import Foundation

@main
struct BlindspotCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "blindspot",
    abstract: "Anonymizes vehicle camera video: blurs faces and licence plates, strips metadata.",
    discussion: """
      Exit codes: 0 ok, 1 usage or configuration, 2 bad input, 3 policy violation, 4 retryable I/O.
      """,
    version: BlindspotVersion.current,
    subcommands: [Anonymize.self, Serve.self, Batch.self, BatchReport.self, Sensor.self, Eval.self, Bench.self, BenchWorker.self],
    defaultSubcommand: Anonymize.self
  )

  /// Runs the command, mapping ArgumentParser's usage errors (EX_USAGE, 64) to our exit code 1,
  /// so every usage problem — a bad flag or a bad configuration — exits the same way.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(ExitStatus.usage.rawValue)
    }
  }
}
