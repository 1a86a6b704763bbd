import ArgumentParser
import Blindspot
import BlindspotMedia
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

    @Option(help: "How regions are hidden: blur, pixelate or fill.")
    var style: RedactionStyle = .blur

    @Option(help: "Classes to redact, comma-separated: face,plate.",
            transform: { try $0.split(separator: ",").map { name in
              guard let value = ObjectClass(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown class '\(name)' (face, plate)")
              }
              return value
            } })
    var classes: [ObjectClass] = [.face, .plate]

    @Option(help: "Grow every box by this fraction of its size on each side (sets both classes).")
    var margin: Double?
    @Option(name: .customLong("face-margin"), help: "Margin for faces (default 0.25: covers hair and chin).")
    var faceMargin: Double?
    @Option(name: .customLong("plate-margin"), help: "Margin for plates (default 0.15: covers the plate frame).")
    var plateMargin: Double?

    @Option(name: .customLong("face-threshold"), help: "Face score threshold (default: the model's).")
    var faceThreshold: Double?
    @Option(name: .customLong("plate-threshold"), help: "Plate score threshold (default: the model's).")
    var plateThreshold: Double?

    @Option(name: .customLong("face-model"), help: "Face model id from the model manifest.")
    var faceModel = "centerface"
    @Option(name: .customLong("plate-model"), help: "Plate model id from the model manifest.")
    var plateModel = "hyperlpr-ssd"
    @Option(help: "Directory of installed models (default: $BLINDSPOT_MODELS, ~/.local/share/blindspot/models, /usr/local/share/blindspot/models).",
            completion: .directory)
    var models: String?

    @Option(name: .customLong("detect-every"), help: "Run detectors on every k-th frame; the tracker places boxes on the frames between.")
    var detectEvery = 1
    @Option(name: .customLong("look-ahead"), help: "Seconds frames wait so a detection can reach back to the frames before it.")
    var lookAhead = 0.5
    @Option(name: .customLong("keep-alive"), help: "Seconds a track stays redacted after its last detection (and before its first).")
    var keepAlive = 0.5
    @Option(name: .customLong("detect-size"), help: "Long side, in pixels, of the image the face detector sees.")
    var detectSize = 640

    @Option(name: .customLong("on-detector-error"), help: "When detection fails on a frame: mask (black frame) or abort (no output).")
    var onDetectorError: AnonymizeOptions.DetectorFailurePolicy = .mask

    @Flag(name: .customLong("keep-audio"), help: "Copy audio streams unchanged (dropped by default).")
    var keepAudio = false

    @Option(help: "Write every redacted box, per frame, to this JSON Lines file (one input only).", completion: .file())
    var detections: String?

    @Option(help: "Progress display: auto, bar, json, none.")
    var progress: ProgressStyle = .auto
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Let FFmpeg print its own warnings.")
    var verbose = false

    func validate() throws {
      guard detectEvery >= 1 else { throw ValidationError("--detect-every must be at least 1") }
      guard detectSize >= 64 else { throw ValidationError("--detect-size must be at least 64") }
      guard (0...10).contains(lookAhead), (0...10).contains(keepAlive) else {
        throw ValidationError("--look-ahead and --keep-alive take 0 to 10 seconds")
      }
      guard !classes.isEmpty else { throw ValidationError("--classes needs at least one class") }
      for value in [margin, faceMargin, plateMargin].compactMap({ $0 }) where !(0...2).contains(value) {
        throw ValidationError("margins are fractions between 0 and 2")
      }
      for value in [faceThreshold, plateThreshold].compactMap({ $0 }) where !(0...1).contains(value) {
        throw ValidationError("thresholds are scores between 0 and 1")
      }
    }

    var options: AnonymizeOptions {
      var options = AnonymizeOptions()
      options.encoder = encoding.settings
      options.format = format
      options.inputFormat = inputFormat
      options.style = style
      options.classes = classes
      if let margin { options.margins = [.face: margin, .plate: margin] }
      if let faceMargin { options.margins[.face] = faceMargin }
      if let plateMargin { options.margins[.plate] = plateMargin }
      if let faceThreshold { options.thresholds[.face] = faceThreshold }
      if let plateThreshold { options.thresholds[.plate] = plateThreshold }
      options.faceModel = faceModel
      options.plateModel = plateModel
      options.detectEvery = detectEvery
      options.lookAheadSeconds = lookAhead
      options.trackKeepAliveSeconds = keepAlive
      options.detectionLongSide = detectSize
      options.onDetectorError = onDetectorError
      options.keepAudio = keepAudio
      return options
    }

    var reporter: any ProgressReporter {
      switch (quiet, progress) {
      case (true, _), (_, .none): SilentProgress()
      case (_, .json): JSONLinesProgress()
      case (_, .bar): TerminalProgress()
      case (_, .auto): isatty(STDERR_FILENO) != 0 ? TerminalProgress() : SilentProgress()
      }
    }

    func run() async throws {
      MediaLog.setLevel(verbose ? .warning : .quiet)
      let options = self.options
      let outcome = Console.run { () throws(BlindspotError) in
        let jobs = try InputResolver(formatExtension: options.formatExtension)
          .jobs(inputs: inputs, output: output, detectionsLog: detections)
        let catalog: ModelCatalog
        do {
          catalog = try ModelCatalog(directory: models.map { URL(fileURLWithPath: $0) })
        } catch {
          throw BlindspotError.wrapping(error, subject: "")
        }
        let anonymizer = Anonymizer(options: options, detectors: CatalogDetectorFactory(catalog: catalog, options: options),
                                    progress: reporter)
        // Every input is tried; the exit status is that of the first failure.
        var firstFailure: BlindspotError?
        for job in jobs {
          do throws(BlindspotError) {
            let sidecar = try anonymizer.run(job)
            if !quiet, progress != .json { Console.report(sidecar, output: job.output) }
          } catch {
            Console.error(error)
            firstFailure = firstFailure ?? error
          }
        }
        return firstFailure?.status ?? .success
      }
      if outcome != ExitStatus.success { throw ExitCode(outcome.rawValue) }
    }
  }
}
