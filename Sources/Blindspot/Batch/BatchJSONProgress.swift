import Foundation

/// One JSON object per line on standard output, for logs of non-interactive workers:
/// `{"event":"start","shard":3,"shard_count":64,"units":17}`, one `{"event":"unit","unit":…,"outcome":"done"|"skipped"|"failed","reason":…}`
/// per unit, `{"event":"progress","units_finished":…,"units":…,"frames":…,"fps":…,"elapsed":…}` at
/// most every 10 seconds, and `{"event":"done",…}` with the report's totals.
public final class BatchJSONProgress: BatchProgress, @unchecked Sendable {
  // Safe: mutable state is touched only under `lock`.
  private let lock = NSLock()
  private let started = Date()
  private var units = 0, finishedUnits = 0, frames = 0
  private var lastProgress = 0.0
  private let interval: Double

  public init(interval: Double = 10) { self.interval = interval }

  public func started(shard: ShardAssignment, units: Int) {
    lock.withLock {
      self.units = units
      emit(["event": "start", "shard": shard.index, "shard_count": shard.count, "units": units])
    }
  }

  public func encoded(frames count: Int) {
    lock.withLock {
      frames += count
      let elapsed = Date().timeIntervalSince(started)
      guard elapsed - lastProgress >= interval else { return }
      lastProgress = elapsed
      emit(["event": "progress", "units_finished": finishedUnits, "units": units, "frames": frames,
            "fps": rounded(elapsed > 0 ? Double(frames) / elapsed : 0), "elapsed": rounded(elapsed)])
    }
  }

  public func finished(unit: String, outcome: ShardReport.Item.Outcome, reason: String?) {
    lock.withLock {
      finishedUnits += 1
      var object: [String: Any] = ["event": "unit", "unit": unit, "outcome": outcome.rawValue]
      if let reason { object["reason"] = reason }
      emit(object)
    }
  }

  public func finished(report: ShardReport) {
    lock.withLock {
      emit(["event": "done", "done": report.done.count, "skipped": report.skipped.count, "failed": report.failed.count,
            "frames": report.frames, "elapsed": rounded(report.wallSeconds), "exit_status": Int(report.exitStatus)])
    }
  }

  private func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

  private func emit(_ object: [String: Any]) {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
    FileHandle.standardOutput.write(data + Data([0x0A]))
  }
}
