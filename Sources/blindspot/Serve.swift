import ArgumentParser
import Blindspot
import BlindspotMedia
import BlindspotService
import BlindspotStore
import Foundation
import Logging

extension BlindspotCommand {
  struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run the on-vehicle service: anonymize a recorder's spool into the region's stores.",
      discussion: """
        Watches the spool for complete segments (TeslaCam or generic layout), anonymizes them, stores
        each output in every store of the vehicle's region, and records every step in a journal so a
        crash or power loss loses nothing and stores nothing twice. HTTP on the configured address:
        /healthz, /readyz, /metrics (Prometheus), /status (JSON). SIGTERM stops gracefully.
        """)

    @Option(name: .shortAndLong, help: "The service configuration (YAML; see README, 'Running in the vehicle').",
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    @Flag(help: "Process the segments complete in the spool now, then exit (2: some failed, 4: some wait for a retry).")
    var once = false

    @Flag(name: .customLong("check-config"), help: "Check the configuration, the models and every store, then exit.")
    var checkConfig = false

    func run() async throws {
      MediaLog.setLevel(.quiet)
      let configuration: ServiceConfiguration
      do { configuration = try ServiceConfiguration.load(file: config) } catch {
        Console.error(BlindspotError.wrapping(error, subject: ""))
        throw ExitCode(BlindspotError.wrapping(error, subject: "").status.rawValue)
      }
      let logger = Self.logger(configuration)
      let launcher = ServiceLauncher(configuration: configuration, logger: logger)
      let status: ExitStatus
      do throws(BlindspotError) {
        if checkConfig {
          try await launcher.check()
          FileHandle.standardError.write(Data("blindspot: \(config): configuration, models and stores are usable\n".utf8))
          status = .success
        } else {
          status = try await launcher.run(mode: once ? .once : .continuous)
        }
      } catch {
        Console.error(error)
        throw ExitCode(error.status.rawValue)
      }
      if status != .success { throw ExitCode(status.rawValue) }
    }

    private static func logger(_ configuration: ServiceConfiguration) -> Logger {
      let format = configuration.logFormat
      var logger = Logger(label: "blindspot") { label in
        switch format {
        case .json: JSONLogHandler(label: label)
        case .text: StreamLogHandler.standardError(label: label)
        }
      }
      logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
      return logger
    }
  }
}
