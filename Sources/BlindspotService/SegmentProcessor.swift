import Blindspot
import BlindspotSensor
import BlindspotStore
import Foundation
import Logging

/// Moves one segment forward through its states, recording each step in the journal before the
/// next begins: anonymize into the outbox, put into every store of the region, then (if told
/// to) delete the raw file. Each step is idempotent, so after a crash the service simply runs
/// the segment's current step again (invariant 5).
struct SegmentProcessor: Sendable {
  let configuration: ServiceConfiguration
  let anonymizer: Anonymizer
  let stores: RegionalStores
  let journal: Journal
  let metrics: ServiceMetrics
  let logger: Logger

  func rawURL(_ path: String) -> URL { configuration.spool.directory.appendingPathComponent(path) }
  func stagedURL(_ path: String) -> URL { configuration.outboxDirectory.appendingPathComponent(path) }
  private var storeNames: Set<String> { Set(stores.backends.filter { $0.region == stores.region }.map(\.name)) }

  /// Runs every step the segment can take now. Failures are recorded in the journal, not thrown.
  func advance(_ path: String) async {
    do {
      guard var record = try journal.segment(path) else { return }
      if record.state == .discovered {
        try await anonymize(record)
        record = try journal.segment(path) ?? record
      }
      if record.state == .anonymized {
        try await store(record)
        record = try journal.segment(path) ?? record
      }
      if record.state == .stored { try finish(record) }
    } catch {
      // Only the journal itself throws here: the disk under the state directory failed.
      logger.error("journal write failed; the segment is retried after a restart", metadata: ["segment": "\(path)", "error": "\(error)"])
    }
  }

  // MARK: discovered → anonymized

  private func anonymize(_ record: SegmentRecord) async throws {
    let raw = rawURL(record.path), staged = stagedURL(record.path)
    guard FileManager.default.fileExists(atPath: raw.path) else {
      logger.warning("segment disappeared before it was anonymized", metadata: ["segment": "\(record.path)"])
      metrics.skipped("vanished").increment()
      return try journal.mark(record.path, .vanished, reason: "the raw file was removed before it was anonymized")
    }
    let job = AnonymizeJob.file(raw, output: staged)
    if let sidecar = finishedEarlier(job) {
      // A crash came between the output's commit and the journal's update: keep that output.
      logger.info("adopting the output of an interrupted run", metadata: ["segment": "\(record.path)"])
      return try journal.markAnonymized(record.path, inputSHA256: sidecar.input.sha256, outputSHA256: sidecar.outputSHA256 ?? "",
                                        frames: sidecar.counts.frames)
    }
    metrics.inProgress.increment()
    defer { metrics.inProgress.decrement() }
    do {
      try FileManager.default.createDirectory(at: staged.deletingLastPathComponent(), withIntermediateDirectories: true)
      let anonymizer = self.anonymizer
      let sidecar = try await OffThread.run("anonymize") { () throws -> Sidecar in try anonymizer.run(job) }
      count(sidecar)
      try journal.markAnonymized(record.path, inputSHA256: sidecar.input.sha256, outputSHA256: sidecar.outputSHA256 ?? "",
                                 frames: sidecar.counts.frames)
      logger.info("anonymized", metadata: ["segment": "\(record.path)", "frames": "\(sidecar.counts.frames)",
                                           "fps": "\(sidecar.timings.framesPerSecond)"])
    } catch {
      try fail(record, BlindspotError.wrapping(error, subject: record.path))
    }
  }

  /// The sidecar of a complete earlier run on the same input bytes, if the outbox holds one.
  private func finishedEarlier(_ job: AnonymizeJob) -> Sidecar? {
    guard let (sidecar, _) = Self.completeOutput(job.output), let input = sidecar.input.sha256,
          let raw = try? FileDigest.of(URL(fileURLWithPath: job.source)), raw.sha256 == input
    else { return nil }
    return sidecar
  }

  /// The sidecar and digest of `output` when it is complete: its sidecar exists and names the
  /// output's actual sha256 (the pipeline writes the sidecar last).
  static func completeOutput(_ output: URL) -> (Sidecar, FileDigest)? {
    guard let data = FileManager.default.contents(atPath: Sidecar.url(for: output).path),
          let sidecar = try? Sidecar.decode(data), let expected = sidecar.outputSHA256,
          let digest = try? FileDigest.of(output), digest.sha256 == expected
    else { return nil }
    return (sidecar, digest)
  }

  func count(_ sidecar: Sidecar) {
    metrics.framesTotal.increment(by: Int64(sidecar.counts.frames))
    metrics.framesPerSecond.record(sidecar.timings.framesPerSecond)
    metrics.maskedFrames.increment(by: Int64(sidecar.counts.maskedFrames))
    for (objectClass, n) in sidecar.counts.detections { metrics.detections(objectClass.rawValue).increment(by: Int64(n)) }
    for (objectClass, n) in sidecar.counts.redactedBoxes { metrics.redactedBoxes(objectClass.rawValue).increment(by: Int64(n)) }
  }

  // MARK: anonymized → stored

  private func store(_ record: SegmentRecord) async throws {
    let job = AnonymizeJob.file(rawURL(record.path), output: stagedURL(record.path))
    let artifact: AnonymizedArtifact
    do {
      guard let data = FileManager.default.contents(atPath: Sidecar.url(for: job.output).path) else {
        throw BlindspotError(.badInput, subject: record.path, reason: "the staged sidecar is missing")
      }
      let sidecar: Sidecar
      do { sidecar = try Sidecar.decode(data) } catch {
        throw BlindspotError(.badInput, subject: record.path, reason: "the staged sidecar is unreadable")
      }
      artifact = try AnonymizedArtifact.finished(job, sidecar: sidecar, region: stores.region, key: record.path)
    } catch {
      // The outbox lost or changed the output: anonymize again rather than store something unproven.
      logger.warning("staged output missing or changed; anonymizing again", metadata: ["segment": "\(record.path)", "error": "\(error)"])
      return try journal.restart(record.path, reason: "\(error)", delay: retryDelay(after: record.attempts),
                                 maxAttempts: Self.maxRestarts)
    }
    let done = Set(try journal.deliveries(of: record.path).map(\.store))
    for name in storeNames.sorted() where !done.contains(name) {
      do {
        let receipt = try await stores.put(artifact, into: name)
        if receipt.outcome == .stored { metrics.uploadBytes(store: name).increment(by: receipt.size) }
        try journal.recordDelivery(record.path, store: name, key: receipt.key, bytes: receipt.size, allStores: storeNames)
        logger.info("stored", metadata: ["segment": "\(record.path)", "store": "\(name)",
                                         "outcome": "\(receipt.outcome == .stored ? "uploaded" : "already present")"])
      } catch {
        metrics.uploadFailures(store: name).increment()
        return try fail(record, BlindspotError.wrapping(error, subject: record.path))
      }
    }
  }

  // MARK: stored → raw deleted

  func finish(_ record: SegmentRecord) throws {
    let sidecar = stagedSidecar(of: record.path)
    let mayRemove = removalRule(besideSegment: record.path)
    if configuration.spool.deleteRaw == .stored {
      let raw = rawURL(record.path)
      removeRawSensorFiles(of: record.path, listedIn: sidecar, mayRemove)  // first: the staged sidecar that names them goes next
      if FileManager.default.fileExists(atPath: raw.path) {
        do { try FileManager.default.removeItem(at: raw) } catch {
          logger.error("cannot delete the raw segment", metadata: ["segment": "\(record.path)", "error": "\(error)"])
          return
        }
        metrics.rawDeleted.increment()
      }
      try journal.markRawDeleted(record.path)
    }
    removeStaged(record.path, listedIn: sidecar, mayRemove)
  }

  /// Removes the raw sensor files beside a stored segment whose anonymized copies the stores now
  /// hold (a TeslaCam event's `event.json`, the segment's own track). Files no policy anonymized
  /// were stored nowhere, so they stay.
  private func removeRawSensorFiles(of path: String, listedIn sidecar: Sidecar?, _ mayRemove: (String) -> Bool) {
    guard let sidecar else { return }
    let folder = rawURL(path).deletingLastPathComponent()
    for companion in sidecar.companions where companion.output != nil && mayRemove(companion.input) {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(companion.input))
    }
  }

  /// Removes the outbox copy of a stored segment (every store holds it now): its sensor files and
  /// their reports, the video, and the sidecar last, since it names the others.
  func removeStaged(_ path: String) {
    removeStaged(path, listedIn: stagedSidecar(of: path), removalRule(besideSegment: path))
  }

  /// `removeStaged(_:)` with the staged sidecar already read.
  private func removeStaged(_ path: String, listedIn sidecar: Sidecar?, _ mayRemove: (String) -> Bool) {
    let staged = stagedURL(path)
    for (name, _) in sidecar?.sensorFiles ?? [] where mayRemove(name) {
      let file = staged.deletingLastPathComponent().appendingPathComponent(name)
      for url in [file, SensorFile.reportURL(for: file)] { try? FileManager.default.removeItem(at: url) }
    }
    for url in [staged, Sidecar.url(for: staged)] { try? FileManager.default.removeItem(at: url) }
  }

  private func stagedSidecar(of path: String) -> Sidecar? {
    FileManager.default.contents(atPath: Sidecar.url(for: stagedURL(path)).path).flatMap { try? Sidecar.decode($0) }
  }

  /// Whether a file beside segment `path`, by name, may go now that the segment is stored. A file
  /// named after the segment is its own; any other (a TeslaCam event's `event.json`) is shared by
  /// the folder's segments and stays while another of them still has to be anonymized or stored.
  /// The journal is asked at the first shared file only, and the answer kept for the rest (the raw
  /// and the staged copy).
  private func removalRule(besideSegment path: String) -> (String) -> Bool {
    let ownPrefix = ((path as NSString).lastPathComponent as NSString).deletingPathExtension + "."
    var sharedFilesMayGo: Bool?
    return { name in
      if name.hasPrefix(ownPrefix) { return true }
      if sharedFilesMayGo == nil {
        sharedFilesMayGo = (try? journal.hasOpenSegment(in: (path as NSString).deletingLastPathComponent, otherThan: path)) == false
      }
      return sharedFilesMayGo ?? false
    }
  }

  // MARK: failures

  /// How often a segment may lose its staged output before it is given up as `failed`.
  static let maxRestarts = 5

  /// Exponential backoff with jitter: 1 s, 2 s, 4 s … up to five minutes.
  private func retryDelay(after attempts: Int) -> TimeInterval {
    min(300, pow(2, Double(min(attempts, 9)))) * Double.random(in: 0.5...1)
  }

  private func fail(_ record: SegmentRecord, _ error: BlindspotError) throws {
    switch error.status {
    case .badInput:
      logger.error("segment cannot be anonymized; kept in the spool", metadata: ["segment": "\(record.path)", "error": "\(error.reason)"])
      metrics.failures("bad_input").increment()
      try journal.markFailed(record.path, reason: error.reason)
    case .policy:
      logger.error("refused by policy", metadata: ["segment": "\(record.path)", "error": "\(error.reason)"])
      metrics.policyViolations.increment()
      metrics.failures("policy").increment()
      try journal.markFailed(record.path, reason: error.reason)
    case .usage, .retryableIO, .success:
      // Stores down, disk full, credentials being rotated: wait and try again, longer each time.
      let delay = retryDelay(after: record.attempts)
      logger.warning("will retry", metadata: ["segment": "\(record.path)", "in_s": "\(Int(delay))", "error": "\(error.reason)"])
      metrics.failures(error.status == .usage ? "configuration" : "retryable").increment()
      try journal.markRetry(record.path, reason: error.reason, delay: delay)
    }
  }
}
