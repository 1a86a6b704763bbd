import ArgumentParser
import Blindspot
import BlindspotMedia
import BlindspotVision
import Foundation

extension BlindspotCommand {
  struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure leak rate, recall and precision on a labelled dataset.",
      discussion: """
        DATASET is a folder of clips with CLIP.truth.json files (schema blindspot-truth/1, see the
        README), one such file, or a dlib imglab XML file of images. Every item runs through the same
        pipeline as `anonymize`, with the same detection options; nothing is written. With --gate, the
        run fails (exit 3) when a measured figure is worse than the limits in the gate file.
        """)

    @Argument(help: "Folder of clips with *.truth.json, one truth file, or an imglab XML file.", completion: .file())
    var dataset: String

    @OptionGroup(title: "Detection and redaction") var detection: DetectionOptions

    @Flag(help: "Print the report as JSON on standard output.")
    var json = false

    @Option(help: "Fail (exit 3) when the report breaks the limits in this JSON file.", completion: .file())
    var gate: String?

    @Option(help: "Also write the JSON report to this file.", completion: .file())
    var report: String?

    @Option(name: .customLong("compare-outputs"),
            help: "Measure another tool's outputs in this folder (same file names as the clips) by the detail left in each object's box, instead of running Blindspot.",
            completion: .directory)
    var compareOutputs: String?

    @Option(name: .customLong("leave-out-source"),
            help: "Do not count the objects pasted from this source photo (as the truth names it; repeatable): to see a figure without one hard object. Boxes over them are still no false positives.")
    var leftOutSources: [String] = []

    func run() async throws {
      MediaLog.setLevel(.quiet)
      var options = AnonymizeOptions()
      detection.apply(to: &options)
      let status = Console.run { () throws(BlindspotError) in
        let catalog = try detection.catalog()
        let limits = try gate.map { path throws(BlindspotError) in
          do { return try EvaluationGate.load(URL(fileURLWithPath: path)) } catch { throw BlindspotError.wrapping(error, subject: path) }
        }
        var items: [Evaluator.Item]
        do { items = try Evaluator.items(in: URL(fileURLWithPath: dataset)) } catch { throw BlindspotError.wrapping(error, subject: dataset) }
        if !leftOutSources.isEmpty { items = try Evaluator.leavingOut(Set(leftOutSources), of: items) }
        let result: EvaluationReport
        if let compareOutputs {
          result = try Evaluator.evaluateOutputs(in: URL(fileURLWithPath: compareOutputs), for: items)
        } else {
          let evaluator = Evaluator(options: options, detectors: CatalogDetectorFactory(catalog: catalog, options: options))
          result = try evaluator.evaluate(items)
        }
        let encoded: Data
        do { encoded = try result.encoded() } catch { throw BlindspotError(.retryableIO, subject: "", reason: "cannot encode the report") }
        if let report {
          do { try encoded.write(to: URL(fileURLWithPath: report)) } catch {
            throw BlindspotError(.badInput, subject: report, reason: "cannot write the report")
          }
        }
        FileHandle.standardOutput.write(json ? encoded + Data([0x0A]) : Data((result.table + "\n").utf8))
        let broken = limits?.violations(of: result) ?? []
        for line in broken { FileHandle.standardError.write(Data("blindspot eval: gate: \(line)\n".utf8)) }
        return broken.isEmpty ? .success : .policy
      }
      if status != ExitStatus.success { throw ExitCode(status.rawValue) }
    }
  }
}
