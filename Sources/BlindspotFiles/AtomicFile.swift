import Foundation

/// A file that appears under its final name only when complete (invariant 5).
///
/// Writes go to a `PartialFile` temporary name beside the final one; `commit()` fsyncs the file,
/// renames it into place and fsyncs the directory. If the value is dropped without `commit()`,
/// `discard()` removes the temporary file, so a failed run leaves nothing behind under either
/// name; what a killed run leaves, the next write of the same file removes (`PartialFile`).
public final class AtomicFile {
  public let finalURL: URL
  public let temporaryURL: URL
  private var committed = false

  public init(finalURL: URL) {
    self.finalURL = finalURL
    PartialFile.removeAbandoned(of: finalURL)
    temporaryURL = PartialFile.temporaryURL(for: finalURL)
  }

  deinit { if !committed { discard() } }

  /// Removes the temporary file if it exists.
  public func discard() { try? FileManager.default.removeItem(at: temporaryURL) }

  /// Makes the temporary file durable and moves it to the final name.
  public func commit() throws {
    try Fsync.file(at: temporaryURL)
    guard rename(temporaryURL.path, finalURL.path) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    committed = true
    try Fsync.directory(at: finalURL.deletingLastPathComponent())
  }

  /// Writes `data` atomically to `url`.
  public static func write(_ data: Data, to url: URL) throws {
    let file = AtomicFile(finalURL: url)
    try data.write(to: file.temporaryURL)
    try file.commit()
  }
}
