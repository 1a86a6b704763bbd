import ArgumentParser
import Blindspot
import Foundation

extension BlindspotCommand {
  struct BatchReport: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "batch-report",
      abstract: "Merge the shard reports of a batch run into one summary (JSON on standard output).",
      discussion: """
        Sums done, skipped, frames and bytes, lists every failure and the shards without a report,
        and flags any unit done by more than one report. Exits like batch: 0 all done, 4 something to
        retry (a failure or a missing shard), 2 only bad inputs, 3 policy violation.
        """)

    @Argument(help: "Shard reports written by blindspot batch --report.", completion: .file())
    var reports: [String]

    func run() throws {
      let status = Console.run { () throws(BlindspotError) in
        var parsed: [ShardReport] = []
        for path in reports {
          guard let data = FileManager.default.contents(atPath: path) else {
            throw BlindspotError(.badInput, subject: path, reason: "cannot read the report")
          }
          do { parsed.append(try ShardReport.decode(data)) } catch {
            throw BlindspotError(.badInput, subject: path, reason: "not a shard report")
          }
        }
        let summary = try BatchSummary(merging: parsed)
        guard let data = try? summary.encoded() else { throw BlindspotError(.usage, subject: "", reason: "cannot encode the summary") }
        FileHandle.standardOutput.write(data + Data([0x0A]))
        return ExitStatus(rawValue: summary.exitStatus) ?? .retryableIO
      }
      if status != ExitStatus.success { throw ExitCode(status.rawValue) }
    }
  }
}
