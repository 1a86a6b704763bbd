import ArgumentParser
import Blindspot
import BlindspotMedia
import BlindspotSensor
import BlindspotVision
import Foundation

extension BlindspotCommand {
  struct Anonymize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Blur faces and licence plates in video files, folders or standard input.",
      discussion: """
        Writes OUT (same resolution, frame count, timestamps and rotation as the input), OUT.anon.json
        (what was done, with which models) and, with --detections, every redacted box. Audio, subtitles,
        data tracks and all metadata tags are dropped unless --keep-audio keeps the audio.
        """)

    @Argument(help: "Video files, folders (every video inside, recursively), or - for standard input.",
              completion: .file())
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file, or a directory for several inputs or a folder.", completion: .file())
    var output: String

    @Option(help: "Output container: mp4, mov, mkv, mpegts (default: from the output name).")
    var format: String?

    @Option(name: .customLong("input-format"), help: "Input container when it cannot be guessed (e.g. mpegts on standard input).")
    var inputFormat: String?

    @OptionGroup(title: "Encoding") var encoding: EncodingOptions

    @OptionGroup(title: "Detection and redaction") var detection: DetectionOptions

    @Flag(name: .customLong("keep-audio"), help: "Copy audio streams unchanged (dropped by default).")
    var keepAudio = false

    @Option(name: .customLong("sensor-policy"),
            help: "Sensor policy (YAML) for telemetry embedded in the video; writes OUT.sensor.jsonl. Without it, embedded telemetry is dropped.",
            completion: .file())
    var sensorPolicy: String?

    @Option(help: "Region whose key the sensor policy uses for pseudonyms (default: the policy's own).")
    var region: String?

    @Option(help: "Write every redacted box, per frame, to this JSON Lines file (one input only).", completion: .file())
    var detections: String?

    @Option(help: "Inputs anonymized at once (default: one per two cores). They share the machine's cores.")
    var jobs: Int?

    @Option(help: "Progress display: auto, bar, json, none.")
    var progress: ProgressStyle = .auto
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Let FFmpeg print its own warnings.")
    var verbose = false

    var options: AnonymizeOptions {
      var options = AnonymizeOptions()
      options.encoder = encoding.settings
      options.format = format
      options.inputFormat = inputFormat
      options.keepAudio = keepAudio
      options.sensorPolicyFile = sensorPolicy
      detection.apply(to: &options)
      return options
    }

    /// A fresh reporter for one input. With several inputs at once a terminal bar would be torn
    /// between them, so only JSON lines (each names its input) report progress then.
    func reporter(concurrent: Bool) -> any ProgressReporter {
      switch (quiet, progress) {
      case (true, _), (_, .none): SilentProgress()
      case (_, .json): JSONLinesProgress()
      case (_, _) where concurrent: SilentProgress()
      case (_, .bar): TerminalProgress()
      case (_, .auto): isatty(STDERR_FILENO) != 0 ? TerminalProgress() : SilentProgress()
      }
    }

    func validate() throws {
      if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
      MediaLog.setLevel(verbose ? .warning : .quiet)
      let options = self.options
      let outcome = Console.run { () throws(BlindspotError) in
        let jobs = try InputResolver(formatExtension: options.formatExtension)
          .jobs(inputs: inputs, output: output, detectionsLog: detections)
        let catalog = try detection.catalog()
        let policy = try sensorPolicy.map { path throws(BlindspotError) in
          do { return try SensorPolicy.load(file: path, region: region) } catch { throw BlindspotError.wrapping(error, subject: path) }
        }
        let pool = ConcurrentJobs(limit: self.jobs ?? ConcurrentJobs.defaultLimit)
        let concurrent = pool.limit > 1 && jobs.count > 1
        let detectors = CatalogDetectorFactory(catalog: catalog, options: options)
        let (vehicleRegion, quiet, progressStyle) = (region, self.quiet, self.progress)
        let reporters = jobs.map { _ in reporter(concurrent: concurrent) }
        // Every input is tried; the exit status is that of the first failure, in input order.
        let outcomes = pool.map(jobs.count) { index -> BlindspotError? in
          let job = jobs[index]
          let anonymizer = Anonymizer(options: options, detectors: detectors, progress: reporters[index], region: vehicleRegion,
                                      sensorPolicy: policy)
          do throws(BlindspotError) {
            let sidecar = try anonymizer.run(job)
            if !quiet, progressStyle != .json { Console.report(sidecar, output: job.output) }
            return nil
          } catch {
            Console.error(error)
            return error
          }
        }
        return outcomes.compactMap { $0 }.first?.status ?? .success
      }
      if outcome != ExitStatus.success { throw ExitCode(outcome.rawValue) }
    }
  }
}
