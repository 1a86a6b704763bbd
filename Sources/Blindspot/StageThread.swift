import Foundation

/// A dedicated thread for one pipeline stage, so blocking C calls (a 100 ms detection, an x264
/// encode) never run on Swift's cooperative pool.
///
/// The stack is 8 MiB (a Foundation thread's default is smaller than the main thread's; OpenCV's
/// DNN layers and libx264 use large stack frames).
struct StageThread: Sendable {
  private let done = DispatchSemaphore(value: 0)

  /// Starts `body` on a new thread named `name`.
  init(name: String, _ body: @escaping @Sendable () -> Void) {
    let done = self.done
    let thread = Thread {
      body()
      done.signal()
    }
    thread.name = name
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// Waits until the body has returned. Call once.
  func join() { done.wait() }
}

/// Moves a value that is not `Sendable` (a codec context, a model) into the one stage thread
/// that will own it from then on.
///
/// This is safe because the creating thread gives the value up: it does not touch it again until
/// the stage thread was joined, which orders every access of the stage before it.
struct StageHandoff<Value>: @unchecked Sendable {
  let value: Value
}
