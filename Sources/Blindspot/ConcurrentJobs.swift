import Foundation

/// Runs several inputs at once — the cameras of one TeslaCam minute, the files of a folder —
/// within one CPU budget: at most `limit` at a time, each on a dedicated thread (its pipeline
/// starts its own stage threads; codecs and detectors are per run, so runs share nothing).
public struct ConcurrentJobs: Sendable {
  /// How many inputs run at once by default: one per two cores. One run already keeps two cores
  /// busy (frame-threaded decoding, x264's threads, OpenCV's pool, three stage threads); a second
  /// run per two cores fills the gaps where one run waits on itself, at the price of another
  /// run's memory.
  public static var defaultLimit: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 2) }

  public let limit: Int

  public init(limit: Int = ConcurrentJobs.defaultLimit) {
    precondition(limit >= 1, "at least one job at a time")
    self.limit = limit
  }

  /// Calls `body` for every index in `0..<count`, at most `limit` at a time, and returns the
  /// results in index order once all have returned. Indices start in order.
  public func map<Result: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
    let results = ResultSlots<Result>(count: count)
    let workers = (0..<min(limit, count)).map { worker in
      StageThread(name: "blindspot.job-\(worker)") {
        while let index = results.claim() { results.store(body(index), at: index) }
      }
    }
    for worker in workers { worker.join() }
    return results.all()
  }
}

/// The shared work list and results of `ConcurrentJobs.map`. Thread-safe.
private final class ResultSlots<Result: Sendable>: @unchecked Sendable {
  // @unchecked: `next` and `slots` are accessed only with `lock` held.
  private let lock = NSLock()
  private var next = 0
  private var slots: [Result?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// The next index nobody works on yet, nil when all are taken.
  func claim() -> Int? {
    lock.withLock {
      guard next < slots.count else { return nil }
      defer { next += 1 }
      return next
    }
  }

  func store(_ result: Result, at index: Int) { lock.withLock { slots[index] = result } }

  func all() -> [Result] { lock.withLock { slots.map { $0! } } }  // every index was stored before the workers ended
}
