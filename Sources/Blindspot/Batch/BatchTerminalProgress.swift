import Foundation

/// A one-line bar on standard error:
/// `shard 3/64  [########--------]  5/17 units  1200 frames  48.0 fps  ETA 2:10`.
/// Failed units are printed on lines of their own above it.
public final class BatchTerminalProgress: BatchProgress, @unchecked Sendable {
  // Safe: mutable state is touched only under `lock`.
  private let lock = NSLock()
  private let started = Date()
  private var label = "", units = 0, finishedUnits = 0, frames = 0
  private var lastDrawn = -1.0

  public init() {}

  public func started(shard: ShardAssignment, units: Int) {
    lock.withLock {
      label = "shard \(shard.index)/\(shard.count)"
      self.units = units
      draw(done: false)
    }
  }

  public func encoded(frames count: Int) {
    lock.withLock {
      frames += count
      let elapsed = Date().timeIntervalSince(started)
      guard elapsed - lastDrawn >= 0.2 else { return }
      lastDrawn = elapsed
      draw(done: false)
    }
  }

  public func finished(unit: String, outcome: ShardReport.Item.Outcome, reason: String?) {
    lock.withLock {
      finishedUnits += 1
      if outcome == .failed { FileHandle.standardError.write(Data("\r\u{1B}[Kfailed \(unit): \(reason ?? "")\n".utf8)) }
      draw(done: false)
    }
  }

  public func finished(report: ShardReport) {
    lock.withLock {
      draw(done: true)
      let line = "\(report.done.count) done, \(report.skipped.count) skipped, \(report.failed.count) failed\n"
      FileHandle.standardError.write(Data(line.utf8))
    }
  }

  private func draw(done: Bool) {
    let elapsed = Date().timeIntervalSince(started)
    let fraction = units > 0 ? min(1, Double(finishedUnits) / Double(units)) : 1
    let filled = Int(fraction * 24)
    var line = "\r\(label)  [" + String(repeating: "#", count: filled) + String(repeating: "-", count: 24 - filled) + "]  "
    line += "\(finishedUnits)/\(units) units  \(frames) frames  "
    line += String(format: "%.1f fps", elapsed > 0 ? Double(frames) / elapsed : 0)
    if !done, finishedUnits > 0, finishedUnits < units {
      line += "  ETA " + Self.clock(elapsed / Double(finishedUnits) * Double(units - finishedUnits))
    }
    line += done ? "  \(Self.clock(elapsed))\u{1B}[K\n" : "\u{1B}[K"
    FileHandle.standardError.write(Data(line.utf8))
  }

  private static func clock(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return String(format: "%d:%02d", total / 60, total % 60)
  }
}
