import Foundation

/// Wall time spent in each pipeline stage, on the stage's own thread. Codec threads that work in the
/// background (x264's look-ahead, frame-threaded decoding) are not counted here, only waits on them,
/// and neither is the time a stage waits on its queues.
/// A class, so a stage and the callbacks it calls can share one without overlapping `inout`
/// accesses. Not thread-safe: each stage thread has its own, merged once the threads are joined.
final class StageTimer {
  private(set) var seconds: [String: Double] = [:]

  /// Runs `body` and adds its duration to `stage`.
  func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
    let start = DispatchTime.now().uptimeNanoseconds
    defer { seconds[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    return try body()
  }

  func add(_ stage: String, nanoseconds: UInt64) { seconds[stage, default: 0] += Double(nanoseconds) / 1e9 }

  /// For work that cannot sit in a closure (it consumes a non-copyable frame): note the start,
  /// then `stop(stage, startedAt:)`.
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  func stop(_ stage: String, startedAt start: UInt64) { add(stage, nanoseconds: Self.now() - start) }

  /// Adds every stage of `other` (another stage thread's timer, after that thread was joined).
  func merge(_ other: StageTimer) {
    for (stage, value) in other.seconds { seconds[stage, default: 0] += value }
  }

  /// Milliseconds per frame for each stage, rounded to 0.01 ms.
  func millisecondsPerFrame(frames: Int) -> [String: Double] {
    guard frames > 0 else { return [:] }
    return seconds.mapValues { ($0 * 1000 / Double(frames) * 100).rounded() / 100 }
  }
}
