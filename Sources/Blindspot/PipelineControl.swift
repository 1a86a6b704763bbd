import Foundation

/// Shutdown and error propagation for the stage threads of one run: the first error wins.
///
/// A stage that fails calls `fail(_:)`: the error is kept if it is the first, and every queue of
/// the run is cancelled, so each other stage wakes from its wait, throws `PipelineCancelled` and
/// stops. After every stage thread has been joined, `firstError` is what the run throws.
///
/// Thread-safe.
final class PipelineControl: @unchecked Sendable {
  // @unchecked: `error` and `cancellers` are accessed only with `lock` held.
  private let lock = NSLock()
  private var error: (any Error)?
  private var cancellers: [@Sendable () -> Void] = []

  /// Registers a queue to cancel when a stage fails.
  func watch<Element: ~Copyable & Sendable>(_ queue: BoundedQueue<Element>) {
    lock.withLock { cancellers.append { queue.cancel() } }
  }

  /// Records `error` unless an earlier one was recorded, then stops every stage.
  /// `PipelineCancelled` is the echo of an earlier failure and is never recorded.
  func fail(_ error: any Error) {
    let cancel: [@Sendable () -> Void] = lock.withLock {
      if !(error is PipelineCancelled), self.error == nil { self.error = error }
      return cancellers
    }
    for body in cancel { body() }
  }

  var firstError: (any Error)? { lock.withLock { error } }

  /// Runs one stage's body, turning a thrown error into `fail(_:)`.
  func runStage(_ body: () throws -> Void) {
    do { try body() } catch { fail(error) }
  }
}
