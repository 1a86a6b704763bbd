import Foundation

/// The pipeline's progress of one item, passed on to the batch's as frame counts.
final class BatchItemProgress: ProgressReporter, @unchecked Sendable {
  // Safe: `reported` is touched only under `lock`.
  private let lock = NSLock()
  private let batch: any BatchProgress
  private var reported = 0

  init(_ batch: any BatchProgress) { self.batch = batch }

  func started(input: String, expectedFrames: Int?) {}

  func advanced(frames: Int, elapsed: Double) { forward(frames) }

  func finished(frames: Int, elapsed: Double) { forward(frames) }

  private func forward(_ frames: Int) {
    let delta = lock.withLock {
      defer { reported = max(reported, frames) }
      return max(0, frames - reported)
    }
    if delta > 0 { batch.encoded(frames: delta) }
  }
}
