import BlindspotStore
import Foundation

/// Runs the units of one shard: `jobs` units at a time, the items of a unit one after the other.
///
/// The pipeline is blocking (FFmpeg and OpenCV calls), so each item runs on a thread of its own,
/// never on Swift's cooperative pool; the task group only keeps at most `jobs` of them going and
/// collects the outcomes. With `jobs` > 1 the encoder's threads are divided among the items
/// (`EncoderSettings.threads`, when not set), so the worker as a whole uses about the machine's
/// cores whatever `--jobs` is.
///
/// Important: a unit counts as done only through a sidecar that matches (`BatchSkipCheck`), and
/// the pipeline writes the sidecar last; a worker killed at any point and run again redoes only
/// units without one.
public struct BatchWorker: Sendable {
  public let configuration: BatchConfiguration
  public let progress: any BatchProgress
  let skipCheck: BatchSkipCheck
  let pipelineOptions: AnonymizeOptions

  public init(configuration: BatchConfiguration, progress: any BatchProgress = SilentBatchProgress()) throws(BlindspotError) {
    self.configuration = configuration
    self.progress = progress
    skipCheck = try BatchSkipCheck(options: configuration.options, catalog: configuration.catalog)
    var options = configuration.options
    if options.encoder.threads == 0, configuration.jobs > 1 {
      options.encoder.threads = max(1, ProcessInfo.processInfo.activeProcessorCount / configuration.jobs)
    }
    pipelineOptions = options
  }

  /// The units of `items` this worker's shard owns, in work-list order.
  public func units(of items: [BatchItem]) -> [BatchUnit] {
    BatchUnit.group(items).filter(configuration.shard.owns)
  }

  /// Anonymizes this shard's units of `items` and reports what happened.
  public func run(_ items: [BatchItem]) async -> ShardReport {
    let started = Date()
    let mine = units(of: items)
    var report = ShardReport(shard: configuration.shard, started: started.formatted(.iso8601), wallSeconds: 0, units: mine.count)
    progress.started(shard: configuration.shard, units: mine.count)
    await withTaskGroup(of: (BatchUnit, [ShardReport.Item], [ShardReport.Failure]).self) { group in
      var pending = mine.makeIterator()
      for _ in 0..<configuration.jobs {
        guard let unit = pending.next() else { break }
        group.addTask { await self.process(unit) }
      }
      while let finished = await group.next() {
        record(finished.0, items: finished.1, failures: finished.2, in: &report)
        if let unit = pending.next() { group.addTask { await self.process(unit) } }
      }
    }
    report.wallSeconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
    report.exitStatus = ShardReport.exitStatus(of: report.failed).rawValue
    progress.finished(report: report)
    return report
  }

  private func record(_ unit: BatchUnit, items: [ShardReport.Item], failures: [ShardReport.Failure], in report: inout ShardReport) {
    report.items += items
    report.failed += failures
    for item in items {
      report.frames += item.frames
      report.bytesIn += item.bytesIn
      report.bytesOut += item.bytesOut
    }
    let outcome: ShardReport.Item.Outcome
    if !failures.isEmpty {
      outcome = .failed
    } else if items.contains(where: { $0.outcome == .done }) {
      outcome = .done
      report.done.append(unit.id)
    } else {
      outcome = .skipped
      report.skipped.append(unit.id)
    }
    progress.finished(unit: unit.id, outcome: outcome, reason: failures.first.map { "\($0.input): \($0.reason)" })
  }

  /// The items of `unit`, one after the other; a failed item does not stop the others.
  func process(_ unit: BatchUnit) async -> (BatchUnit, [ShardReport.Item], [ShardReport.Failure]) {
    var items: [ShardReport.Item] = [], failures: [ShardReport.Failure] = []
    for item in unit.items {
      let started = Date()
      do throws(BlindspotError) {
        var record = try await process(item)
        record.unit = unit.id
        record.seconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
        items.append(record)
      } catch {
        items.append(ShardReport.Item(unit: unit.id, input: item.source.description, output: nil, outcome: .failed, frames: 0,
                                      bytesIn: 0, bytesOut: 0, seconds: (Date().timeIntervalSince(started) * 1000).rounded() / 1000))
        failures.append(ShardReport.Failure(unit: unit.id, input: item.source.description, status: error.status.rawValue,
                                            retryable: error.status == .retryableIO, reason: error.reason))
      }
    }
    return (unit, items, failures)
  }
}
