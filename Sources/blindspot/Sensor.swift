import ArgumentParser
import Blindspot
import BlindspotSensor
import Foundation

extension BlindspotCommand {
  struct Sensor: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Anonymize a GPS/IMU track (NMEA, GPX, CSV, JSON Lines) by a sensor policy.",
      discussion: """
        Writes OUT and OUT.report.json (samples in and out, removed per rule, trips, coarse bounds).
        Formats come from the file extensions (.nmea/.log, .gpx, .csv, .jsonl) unless given.
        Errors name the file and line, never a coordinate or a key.
        """)

    @Argument(help: "The track to anonymize, or - for standard input (then give --input-format).", completion: .file())
    var input: String

    @Option(name: .shortAndLong, help: "Output file.", completion: .file())
    var output: String

    @Option(help: "The policy YAML (see README, 'Sensor data').", completion: .file(extensions: ["yaml", "yml"]))
    var policy: String

    @Option(help: "Output format: nmea, gpx, csv, jsonl (default: from the output name).")
    var format: SensorFormat?

    @Option(name: .customLong("input-format"), help: "Input format when the extension does not say.")
    var inputFormat: SensorFormat?

    @Option(help: "Region whose key the policy uses (default: the policy's region).")
    var region: String?

    @Option(name: .customLong("csv-columns"), help: "CSV layout, field[=header],… (e.g. time=ts,latitude=lat,longitude=lon,extra.vin=VIN).")
    var csvColumns: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
      let status = Self.perform { () throws(SensorError) in
        let inputURL = URL(fileURLWithPath: input == "-" ? "/dev/stdin" : input), outputURL = URL(fileURLWithPath: output)
        guard let inFormat = inputFormat ?? (input == "-" ? nil : SensorFormat(pathExtension: inputURL.pathExtension)) else {
          throw SensorError(.configuration, file: input, "cannot tell the format from the name; give --input-format")
        }
        guard let outFormat = format ?? SensorFormat(pathExtension: outputURL.pathExtension) else {
          throw SensorError(.configuration, file: output, "cannot tell the format from the name; give --format")
        }
        let layout = try csvColumns.map { spec throws(SensorError) in try CSVLayout(spec: spec) } ?? .standard
        let rules = try SensorPolicy.load(file: policy, region: region)
        let report = try SensorFile.anonymize(input: inputURL, inputFormat: inFormat, output: outputURL,
                                              outputFormat: outFormat, policy: rules, csvLayout: layout)
        if !quiet {
          let removed = report.removed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
          var line = "wrote \(output): \(report.samplesOut) of \(report.samplesIn) samples, \(report.tripsOut) trip(s)"
          if !removed.isEmpty { line += "; removed \(removed)" }
          if report.skippedLines > 0 {
            line += "; skipped \(report.skippedLines) unreadable line(s) of \(input)"
            if let first = report.firstSkippedLine { line += " (first: line \(first))" }
          }
          FileHandle.standardError.write(Data((line + "\n").utf8))
        }
      }
      if status != .success { throw ExitCode(status.rawValue) }
    }

    /// Runs `body`, printing a failure as one line and mapping it to an exit status.
    static func perform(_ body: () throws(SensorError) -> Void) -> ExitStatus {
      do {
        try body()
        return .success
      } catch {
        FileHandle.standardError.write(Data("blindspot: \(error)\n".utf8))
        return switch error.kind {
        case .configuration: .usage
        case .badInput: .badInput
        case .io: .retryableIO
        }
      }
    }
  }
}

extension SensorFormat: ExpressibleByArgument {}
