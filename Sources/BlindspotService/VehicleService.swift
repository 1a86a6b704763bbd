import Blindspot
import BlindspotStore
import Foundation
import Logging
import ServiceLifecycle

/// The on-vehicle service's main loop: scan the spool, journal what is complete, apply the
/// backlog budget, and move due segments forward, `jobs` at a time, events first.
///
/// On graceful shutdown (SIGTERM) it takes no new segment; the ones in progress have
/// `shutdownGrace` to finish, after which the process exits anyway: the journal already holds
/// every finished step, and the next start resumes the rest (partial outputs are swept).
public final class VehicleService: Service, Sendable {
  public enum Mode: Sendable {
    /// Run until stopped.
    case continuous
    /// Process what is complete in the spool now, then return (for scripts and tests).
    case once
  }

  let configuration: ServiceConfiguration
  let anonymizer: Anonymizer
  let journal: Journal
  let processor: SegmentProcessor
  let metrics: ServiceMetrics
  public let status: ServiceStatus
  let logger: Logger
  let mode: Mode

  public init(configuration: ServiceConfiguration, anonymizer: Anonymizer, stores: RegionalStores, metrics: ServiceMetrics,
              logger: Logger, mode: Mode = .continuous) throws {
    self.configuration = configuration
    self.anonymizer = anonymizer
    self.journal = try Journal(url: configuration.journalURL)
    self.metrics = metrics
    self.logger = logger
    self.mode = mode
    self.processor = SegmentProcessor(configuration: configuration, anonymizer: anonymizer, stores: stores, journal: journal,
                                      metrics: metrics, logger: logger)
    self.status = ServiceStatus(version: BlindspotVersion.current, region: configuration.region.rawValue,
                                stores: stores.backends.map { "\($0.name) (\($0.region))" })
  }

  public func journalCounts() throws -> [SegmentState: Int] { try journal.counts() }

  /// Segments not yet stored or settled (a `.once` run leaves those that wait for a retry).
  public func openSegments() throws -> Int {
    let counts = try journal.counts()
    return SegmentState.open.reduce(0) { $0 + counts[$1, default: 0] }
  }

  public func run() async throws {
    try sweepOutbox()
    let scanner = SpoolScanner(layout: SpoolLayout(settings: configuration.spool), useInotify: configuration.spool.inotify)
    status.update { $0.ready = true }
    logger.notice("serving", metadata: ["region": "\(configuration.region)", "spool": "\(configuration.spool.directory.path)",
                                        "jobs": "\(configuration.jobs)", "inotify": "\(scanner.isWatching)"])
    let streams = mode == .continuous ? startStreams() : []
    try await withGracefulShutdownHandler {
      while !Task.isShuttingDownGracefully, !Task.isCancelled {
        let scan = scanner.scan()
        try journal.discover(scan.complete)
        try applyBacklogBudget()
        let due = try journal.due()
        try publish(spoolBytes: scan.spoolBytes, waiting: due.count)
        if due.isEmpty {
          if mode == .once { break }
          try? await Task.sleep(for: configuration.spool.pollInterval)
          continue
        }
        await advance(due)
        // A .once run also ends when only retries that wait for later are left.
        if mode == .once, try journal.due().isEmpty { break }
      }
      try publish(spoolBytes: nil, waiting: try journal.due().count)
      let open = try openSegments()
      logger.notice("stopped", metadata: ["open_segments": "\(open)"])
    } onGracefulShutdown: { [logger, configuration, status] in
      for stream in streams { stream.stop() }
      status.update { $0.shuttingDown = true; $0.ready = false }
      logger.notice("stopping: no new segments; those in progress may finish", metadata: [
        "grace_s": "\(configuration.shutdownGrace.seconds)"])
      Self.exitAfterGrace(configuration.shutdownGrace, logger: logger)
    }
  }

  /// Starts recording every configured live stream; each finished segment enters the journal as
  /// `anonymized`, and the loop stores it like a spool segment.
  private func startStreams() -> [StreamSegmenter] {
    configuration.streams.map { settings in
      let segmenter = StreamSegmenter(settings: settings, anonymizer: anonymizer, outbox: configuration.outboxDirectory,
                                      logger: logger) { [self] path, result in
        streamSegmentFinished(path, of: settings, result)
      }
      segmenter.start()
      return segmenter
    }
  }

  private func streamSegmentFinished(_ path: String, of stream: StreamSettings, _ result: Result<Sidecar, BlindspotError>) {
    switch result {
    case .success(let sidecar):
      processor.count(sidecar)
      let size = try? FileManager.default.attributesOfItem(atPath: processor.stagedURL(path).path)[.size] as? NSNumber
      do {
        try journal.addAnonymized(SpoolSegment(path: path, group: "streams/\(stream.name)", priority: .rolling),
                                  bytes: size?.int64Value ?? 0, outputSHA256: sidecar.outputSHA256 ?? "",
                                  frames: sidecar.counts.frames)
        logger.info("stream segment anonymized", metadata: ["segment": "\(path)", "frames": "\(sidecar.counts.frames)"])
      } catch {
        // The output stays in the outbox; the next start adopts it (`adoptStreamSegments`).
        logger.error("journal write failed for a stream segment", metadata: ["segment": "\(path)", "error": "\(error)"])
      }
    case .failure(let error):
      metrics.failures("stream").increment()
      logger.error("stream segment not anonymized", metadata: ["segment": "\(path)", "error": "\(error.reason)"])
    }
  }

  /// Moves `due` segments forward with at most `jobs` at once; takes no new one once stopping.
  private func advance(_ due: [SegmentRecord]) async {
    await withTaskGroup(of: Void.self) { group in
      var running = 0
      for record in due {
        if Task.isShuttingDownGracefully { break }
        if running == configuration.jobs {
          await group.next()
          running -= 1
        }
        let processor = self.processor, status = self.status
        group.addTask {
          status.update { $0.inProgress += 1 }
          await processor.advance(record.path)
          status.update { $0.inProgress -= 1 }
        }
        running += 1
      }
      await group.waitForAll()
    }
  }

  /// Rolling-buffer segments beyond the budget are skipped, oldest first, so the service catches
  /// up with the present; event clips are never skipped.
  private func applyBacklogBudget() throws {
    guard let budget = configuration.spool.backlogBudgetBytes else { return }
    let backlog = try journal.backlogBytes()
    var excess = backlog[.event, default: 0] + backlog[.rolling, default: 0] - budget
    guard excess > 0 else { return }
    for record in try journal.oldestWaitingRolling(limit: 1000) where excess > 0 {
      try journal.mark(record.path, .skipped, reason: "the backlog exceeded the spool budget")
      metrics.skipped("budget").increment()
      logger.warning("skipped: backlog over budget", metadata: ["segment": "\(record.path)"])
      excess -= record.bytes
    }
    if excess > 0 {
      logger.warning("event clips alone exceed the spool budget; they are never skipped", metadata: ["excess_bytes": "\(excess)"])
    }
  }

  /// Removes what interrupted runs left in the outbox: partial files, and staged copies of
  /// segments every store already holds.
  private func sweepOutbox() throws {
    let outbox = configuration.outboxDirectory
    try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
    if let walker = FileManager.default.enumerator(at: outbox, includingPropertiesForKeys: nil) {
      for case let url as URL in walker where url.lastPathComponent.contains(".partial-") {
        try? FileManager.default.removeItem(at: url)
      }
    }
    let known = Dictionary(uniqueKeysWithValues: try journal.all().map { ($0.path, $0.state) })
    for (path, state) in known where state == .stored || state == .rawDeleted {
      processor.removeStaged(path)
    }
    // A crash between deleting a raw segment and recording it leaves it `stored`: finish it.
    if configuration.spool.deleteRaw == .stored {
      for record in try journal.storedWithRaw() { try processor.finish(record) }
    }
    try adoptStreamSegments(known: Set(known.keys))
  }

  /// Live-stream segments finished just before a crash, whose journal entry was not yet written:
  /// a complete output (its sidecar exists and names its hash) enters the journal now.
  private func adoptStreamSegments(known: Set<String>) throws {
    let streams = configuration.outboxDirectory.appendingPathComponent("streams")
    guard let walker = FileManager.default.enumerator(at: streams, includingPropertiesForKeys: nil) else { return }
    let prefix = configuration.outboxDirectory.standardizedFileURL.path + "/"
    for case let url as URL in walker where url.lastPathComponent.hasSuffix(".anon.json") {
      let output = url.deletingLastPathComponent().appendingPathComponent(String(url.lastPathComponent.dropLast(10)))
      let path = String(output.standardizedFileURL.path.dropFirst(prefix.count))
      guard !known.contains(path), let (sidecar, digest) = SegmentProcessor.completeOutput(output) else { continue }
      let group = path.split(separator: "/").prefix(2).joined(separator: "/")
      try journal.addAnonymized(SpoolSegment(path: path, group: group, priority: .rolling), bytes: digest.size,
                                outputSHA256: digest.sha256, frames: sidecar.counts.frames)
      logger.info("adopted a stream segment finished before a restart", metadata: ["segment": "\(path)"])
    }
  }

  private func publish(spoolBytes: Int64?, waiting: Int) throws {
    let counts = try journal.counts()
    for (state, n) in counts { metrics.segments(state).record(n) }
    metrics.queueDepth.record(waiting)
    if let spoolBytes { metrics.spoolBytes.record(spoolBytes) }
    status.update { snapshot in
      snapshot.segments = Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
      snapshot.queue = waiting
      if let spoolBytes { snapshot.spoolBytes = spoolBytes }
    }
  }

  /// After SIGTERM the work in progress gets `grace`; then the process leaves, its state safe in
  /// the journal (a blocking FFmpeg call cannot be interrupted from Swift).
  private static func exitAfterGrace(_ grace: Duration, logger: Logger) {
    let thread = Thread {
      Thread.sleep(forTimeInterval: grace.seconds)
      logger.notice("grace period over; unfinished segments resume at the next start")
      exit(ExitStatus.success.rawValue)
    }
    thread.name = "shutdown-grace"
    thread.start()
  }
}
