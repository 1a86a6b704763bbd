import Foundation

/// A file that appears under its final name only when complete (invariant 5).
///
/// Writes go to a hidden temporary name in the same directory (so the rename is atomic on one
/// file system); `commit()` fsyncs the file, renames it into place and fsyncs the directory.
/// If the value is dropped without `commit()`, `discard()` removes the temporary file, so a
/// failed run leaves nothing behind under either name.
final class AtomicFile {
  let finalURL: URL
  let temporaryURL: URL
  private var committed = false

  init(finalURL: URL) {
    self.finalURL = finalURL
    let directory = finalURL.deletingLastPathComponent()
    let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    temporaryURL = directory.appendingPathComponent(".\(finalURL.lastPathComponent).partial-\(token)")
  }

  deinit { if !committed { discard() } }

  /// Removes the temporary file if it exists.
  func discard() { try? FileManager.default.removeItem(at: temporaryURL) }

  /// Makes the temporary file durable and moves it to the final name.
  func commit() throws {
    try Self.fsync(path: temporaryURL.path, directory: false)
    guard rename(temporaryURL.path, finalURL.path) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    committed = true
    try Self.fsync(path: finalURL.deletingLastPathComponent().path, directory: true)
  }

  /// Writes `data` atomically to `url`.
  static func write(_ data: Data, to url: URL) throws {
    let file = AtomicFile(finalURL: url)
    try data.write(to: file.temporaryURL)
    try file.commit()
  }

  private static func fsync(path: String, directory: Bool) throws {
    let descriptor = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    guard Foundation.fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
  }
}
