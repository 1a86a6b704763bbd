import ArgumentParser
import Blindspot
import BlindspotMedia
import BlindspotStore
import Foundation

extension BlindspotCommand {
  struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Reprocess an archive as one of many identical workers (Kubernetes, AWS Batch, Slurm, Cloud Run).",
      discussion: """
        Takes the work list from --manifest (one path or s3:// URI per line, or JSON Lines with
        input, region and output_key) or --input (a folder or s3:// prefix), groups it into units (a
        TeslaCam minute or event folder is one unit), and anonymizes the units of this shard: those
        whose SHA-256 of the unit id, mod the shard count, is the shard index. Index and count default
        from JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX/_SIZE, SLURM_ARRAY_TASK_ID/_COUNT or
        CLOUD_RUN_TASK_INDEX/_COUNT. A unit whose outputs and sidecars exist and match (input sha256,
        version, models, parameters) is skipped unless --force. Exit: 0 all done, 4 some items failed
        and a retry may help, 2 only bad inputs failed, 3 policy violation, 1 usage.
        """)

    @Option(help: "Work list: one path or s3://bucket/key per line, or JSON Lines {\"input\", \"region\", \"output_key\"}.",
            completion: .file())
    var manifest: String?

    @Option(help: "Work list: every video below this folder or s3://bucket/prefix/.", completion: .directory)
    var input: String?

    @Option(name: .customLong("output-root"),
            help: "Where outputs go, keeping the layout: a folder or s3://bucket/prefix/. REGION=ROOT for one region's items (repeatable).")
    var outputRoots: [String] = []

    @Option(help: "Region of items whose manifest line names none; plain --output-root is this region's root.")
    var region: String?

    @Option(name: .customLong("shard-index"), help: "This worker's shard, 0-based (default: from the engine's environment).")
    var shardIndex: Int?
    @Option(name: .customLong("shard-count"), help: "Number of shards (default: from the engine's environment; required on Kubernetes).")
    var shardCount: Int?

    @Option(help: "Units anonymized at once by this worker; encoder threads are shared among them.")
    var jobs = 1

    @Flag(help: "Redo units whose outputs already exist and match.")
    var force = false

    @Option(name: .customLong("store-config"), help: "Store configuration YAML giving endpoints and credentials of S3 buckets (repeatable); other buckets use AWS_* variables.",
            completion: .file())
    var storeConfigs: [String] = []

    @Option(help: "Folder for S3 downloads and uploads in progress (default: the system's temporary folder).", completion: .directory)
    var scratch: String?

    @Option(help: "Write the shard report (JSON) to this file.", completion: .file())
    var report: String?

    @Option(help: "Output container: mp4, mov, mkv, mpegts (default: the input's).")
    var format: String?

    @Flag(name: .customLong("dry-run"), help: "Print this shard's units as JSON lines and exit; nothing is read or written.")
    var dryRun = false

    @OptionGroup(title: "Encoding") var encoding: EncodingOptions
    @OptionGroup(title: "Detection and redaction") var detection: DetectionOptions

    @Option(help: "Progress display: auto (a bar on a terminal, JSON lines otherwise), bar, json, none.")
    var progress: ProgressStyle = .auto
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Let FFmpeg print its own warnings.")
    var verbose = false

    func validate() throws {
      guard (manifest == nil) != (input == nil) else { throw ValidationError("give exactly one of --manifest or --input") }
      guard dryRun || !outputRoots.isEmpty else { throw ValidationError("give --output-root") }
      guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    var reporter: any BatchProgress {
      switch (quiet, progress) {
      case (true, _), (_, ProgressStyle.none): SilentBatchProgress()
      case (_, .json): BatchJSONProgress()
      case (_, .bar): BatchTerminalProgress()
      case (_, .auto): isatty(STDERR_FILENO) != 0 ? BatchTerminalProgress() : BatchJSONProgress()
      }
    }

    func run() async throws {
      MediaLog.setLevel(verbose ? .warning : .quiet)
      let status: ExitStatus
      do throws(BlindspotError) {
        status = try await runBatch()
      } catch {
        Console.error(error)
        status = error.status
      }
      if status != .success { throw ExitCode(status.rawValue) }
    }

    private func runBatch() async throws(BlindspotError) -> ExitStatus {
      var options = AnonymizeOptions()
      options.encoder = encoding.settings
      options.format = format
      detection.apply(to: &options)
      let shard = try ShardAssignment.resolve(index: shardIndex, count: shardCount)
      let defaultRegion = try region.map { name throws(BlindspotError) in try Self.region(name, subject: "--region") }
      var configurations: [StoreConfiguration] = []
      for path in storeConfigs {
        do { configurations.append(try StoreConfiguration.load(file: path)) } catch { throw BlindspotError.wrapping(error, subject: path) }
      }
      let access = BatchS3Access(configurations: configurations)
      let items = try await workList(access: access, renaming: options.formatExtension)

      if dryRun {
        for unit in BatchUnit.group(items) where shard.owns(unit) {
          let line: [String: Any] = ["unit": unit.id, "shard": shard.index, "items": unit.items.map(\.name)]
          if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
            FileHandle.standardOutput.write(data + Data([0x0A]))
          }
        }
        return .success
      }

      let catalog = try detection.catalog()
      var roots: [Region?: BatchOutputRoot] = [:]
      for text in outputRoots {
        var rootRegion = defaultRegion, rootText = text
        if let equals = text.firstIndex(of: "="), !text[..<equals].contains("/") {
          rootRegion = try Self.region(String(text[..<equals]), subject: "--output-root")
          rootText = String(text[text.index(after: equals)...])
        }
        guard roots[rootRegion] == nil else {
          throw BlindspotError(.usage, subject: "--output-root", reason: "two roots for region \(rootRegion?.rawValue ?? "(none)")")
        }
        roots[rootRegion] = try BatchOutputRoot.parse(rootText, region: rootRegion, access: access)
      }
      let scratchRoot = scratch.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
      let scratchFolder = scratchRoot.appendingPathComponent("blindspot-batch-\(shard.index)-\(ProcessInfo.processInfo.processIdentifier)")
      defer { try? FileManager.default.removeItem(at: scratchFolder) }

      let worker = try BatchWorker(
        configuration: BatchConfiguration(options: options, catalog: catalog, outputRoots: roots, defaultRegion: defaultRegion,
                                          shard: shard, jobs: jobs, force: force, scratch: scratchFolder, access: access),
        progress: reporter)
      let result = await worker.run(items)
      if let report { try result.write(to: URL(fileURLWithPath: report)) }
      // The bar and JSON lines show each failure; without them, one line each on standard error.
      for failure in result.failed where quiet || progress == ProgressStyle.none {
        FileHandle.standardError.write(Data("blindspot: \(failure.input): \(failure.reason)\n".utf8))
      }
      return ExitStatus(rawValue: result.exitStatus) ?? .retryableIO
    }

    private func workList(access: BatchS3Access, renaming formatExtension: String?) async throws(BlindspotError) -> [BatchItem] {
      var items: [BatchItem]
      if let manifest {
        items = try BatchManifest.load(file: manifest)
      } else if let input, input.hasPrefix("s3://") {
        let rest = input.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        let bucketAccess = S3Bucket(settings: try access.settings(bucket: bucket, prefix: "", region: nil))
        items = try await BatchWorkList.objects(in: bucketAccess, prefix: String(rest.dropFirst(bucket.count + 1)))
      } else {
        items = try BatchWorkList.folder(URL(fileURLWithPath: input ?? "."))
      }
      if let formatExtension {
        for index in items.indices {
          items[index].outputKey = (items[index].outputKey as NSString).deletingPathExtension + "." + formatExtension
        }
      }
      return items
    }

    private static func region(_ name: String, subject: String) throws(BlindspotError) -> Region {
      do { return try Region(validating: name) } catch { throw BlindspotError(.usage, subject: subject, reason: error.reason) }
    }
  }
}
