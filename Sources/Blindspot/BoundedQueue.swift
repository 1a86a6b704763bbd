import Foundation

/// A blocking first-in, first-out queue of bounded capacity between two pipeline stages, each on
/// its own thread: the backpressure of the pipeline.
///
/// `push` waits while the queue is full, so a fast stage can run ahead of a slow one by at most
/// `capacity` items; `pop` waits while it is empty. The producer calls `finish()` after its last
/// item; the consumer then drains what is left and gets `nil`. `cancel()` (a stage failed) wakes
/// both sides at once: every later `push` or `pop` throws `PipelineCancelled`, and the items still
/// queued are freed. Elements are non-copyable values (decoded frames): they move through the
/// queue, never copied.
///
/// Thread-safe: one producer and one consumer thread, and `cancel()` from any thread.
final class BoundedQueue<Element: ~Copyable & Sendable>: @unchecked Sendable {
  // @unchecked: every stored property below is read and written only with `condition` locked.
  private let condition = NSCondition()
  private var items: FrameQueue<Element>
  private var finished = false
  private var cancelled = false
  private var peak = 0

  init(capacity: Int) {
    items = FrameQueue(capacity: capacity)
  }

  var capacity: Int { condition.withLock { items.capacity } }
  /// The most items that were queued at once.
  var peakCount: Int { condition.withLock { peak } }
  var isCancelled: Bool { condition.withLock { cancelled } }

  /// Adds `element`, waiting while the queue is full. Throws when the pipeline was cancelled
  /// (the element is freed).
  func push(_ element: consuming Element) throws(PipelineCancelled) {
    condition.lock()
    defer { condition.unlock() }
    while items.isFull && !cancelled { condition.wait() }
    if cancelled { throw PipelineCancelled() }
    precondition(!finished, "push after finish: a stage sent an item after its last one")
    items.append(element)
    peak = max(peak, items.count)
    condition.broadcast()
  }

  /// The oldest item, waiting while the queue is empty; nil once the producer finished and every
  /// item was taken. Throws when the pipeline was cancelled.
  func pop() throws(PipelineCancelled) -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !finished && !cancelled { condition.wait() }
    if cancelled { throw PipelineCancelled() }
    if items.isEmpty { return nil }
    let element = items.removeFirst()
    condition.broadcast()
    return element
  }

  /// The producer sent its last item.
  func finish() {
    condition.withLock {
      finished = true
      condition.broadcast()
    }
  }

  /// Stops both sides and frees what is queued. Idempotent.
  func cancel() {
    condition.withLock {
      cancelled = true
      while !items.isEmpty { _ = items.removeFirst() }
      condition.broadcast()
    }
  }
}

/// Thrown by a `BoundedQueue` when the pipeline was cancelled because some stage failed: the
/// stage that gets it stops quietly, the first error is reported instead.
struct PipelineCancelled: Error {}
