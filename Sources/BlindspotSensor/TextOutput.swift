import Foundation

/// Collects text output and writes it to a file handle in large chunks (or keeps it, for tests).
public final class TextOutput {
  private let handle: FileHandle?
  private var pending: [UInt8] = []
  /// Everything written, when there is no file handle.
  public private(set) var data = Data()

  /// Output that goes to `handle`.
  public init(handle: FileHandle) { self.handle = handle }
  /// Output kept in memory, in `data`.
  public init() { handle = nil }

  public func write(_ text: String) throws {
    pending.append(contentsOf: text.utf8)
    if pending.count >= 64 * 1024 { try flush() }
  }

  public func flush() throws {
    guard !pending.isEmpty else { return }
    if let handle {
      do { try handle.write(contentsOf: pending) } catch { throw SensorError(.io, "write failed") }
    } else {
      data.append(contentsOf: pending)
    }
    pending.removeAll(keepingCapacity: true)
  }
}
