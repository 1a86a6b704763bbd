import Foundation

/// Runs blocking work (FFmpeg, OpenCV, file hashing) on a thread of its own, so Swift's small
/// cooperative pool stays free for the HTTP server, the scanner and the uploads.
enum OffThread {
  static func run<Value: Sendable>(_ name: String, _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
      }
      thread.name = name
      thread.stackSize = 8 << 20
      thread.start()
    }
  }
}
