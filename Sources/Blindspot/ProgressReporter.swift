import Foundation

/// Receives progress of one input. Implementations print a bar, JSON lines, or nothing.
public protocol ProgressReporter: Sendable {
  func started(input: String, expectedFrames: Int?)
  func advanced(frames: Int, elapsed: Double)
  func finished(frames: Int, elapsed: Double)
}

/// Prints nothing (`--quiet`, and the default when standard error is not a terminal).
public struct SilentProgress: ProgressReporter {
  public init() {}
  public func started(input: String, expectedFrames: Int?) {}
  public func advanced(frames: Int, elapsed: Double) {}
  public func finished(frames: Int, elapsed: Double) {}
}

/// One JSON object per line on standard output, for scripts:
/// `{"event":"start"|"progress"|"done","input":…,"frames":…,"total":…,"fps":…,"elapsed":…}`.
public final class JSONLinesProgress: ProgressReporter, @unchecked Sendable {
  // Safe: mutable state is touched only under `lock`.
  private let lock = NSLock()
  private var input = ""
  private var total: Int?
  private var lastPrinted = -1.0

  public init() {}

  public func started(input: String, expectedFrames: Int?) {
    lock.withLock {
      self.input = input
      total = expectedFrames
      lastPrinted = -1
      emit(["event": "start", "input": input, "total": total as Any])
    }
  }

  public func advanced(frames: Int, elapsed: Double) {
    lock.withLock {
      guard elapsed - lastPrinted >= 1 else { return }  // at most one line a second
      lastPrinted = elapsed
      emit(["event": "progress", "input": input, "frames": frames, "total": total as Any,
            "fps": fps(frames, elapsed), "elapsed": rounded(elapsed)])
    }
  }

  public func finished(frames: Int, elapsed: Double) {
    lock.withLock {
      emit(["event": "done", "input": input, "frames": frames, "fps": fps(frames, elapsed), "elapsed": rounded(elapsed)])
    }
  }

  private func fps(_ frames: Int, _ elapsed: Double) -> Double { rounded(elapsed > 0 ? Double(frames) / elapsed : 0) }
  private func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

  private func emit(_ object: [String: Any]) {
    let cleaned = object.mapValues { value -> Any in
      if case Optional<Any>.none = value as Any? { return NSNull() }
      return value
    }
    guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]) else { return }
    FileHandle.standardOutput.write(data + Data([0x0A]))
  }
}

/// A one-line bar on standard error: `clip.mp4  [#######-----]  120/300  24.1 fps  ETA 0:07`.
public final class TerminalProgress: ProgressReporter, @unchecked Sendable {
  // Safe: mutable state is touched only under `lock`.
  private let lock = NSLock()
  private var input = ""
  private var total: Int?
  private var lastDrawn = -1.0

  public init() {}

  public func started(input: String, expectedFrames: Int?) {
    lock.withLock {
      self.input = (input as NSString).lastPathComponent
      total = expectedFrames
      lastDrawn = -1
    }
  }

  public func advanced(frames: Int, elapsed: Double) {
    lock.withLock {
      guard elapsed - lastDrawn >= 0.2 else { return }
      lastDrawn = elapsed
      draw(frames: frames, elapsed: elapsed, done: false)
    }
  }

  public func finished(frames: Int, elapsed: Double) {
    lock.withLock { draw(frames: frames, elapsed: elapsed, done: true) }
  }

  private func draw(frames: Int, elapsed: Double, done: Bool) {
    let fps = elapsed > 0 ? Double(frames) / elapsed : 0
    var line = "\r\(input)  "
    if let total, total > 0 {
      let fraction = min(1, Double(frames) / Double(total))
      let filled = Int(fraction * 24)
      line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 24 - filled) + "]  "
      line += "\(frames)/\(total)  "
      if !done, fps > 0 { line += String(format: "%.1f fps  ETA %@", fps, Self.clock(Double(max(0, total - frames)) / fps)) }
      else { line += String(format: "%.1f fps", fps) }
    } else {
      line += String(format: "%d frames  %.1f fps", frames, fps)
    }
    line += done ? "  \(Self.clock(elapsed))\u{1B}[K\n" : "\u{1B}[K"  // clear what a longer line left
    FileHandle.standardError.write(Data(line.utf8))
  }

  private static func clock(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return String(format: "%d:%02d", total / 60, total % 60)
  }
}
