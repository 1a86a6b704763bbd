import Foundation

/// A file that appears under its final name only when complete (invariant 5).
///
/// Writes go to a hidden temporary name in the same directory (so the rename is atomic on one
/// file system); `commit()` fsyncs the file, renames it into place and fsyncs the directory.
/// If the value is dropped without `commit()`, `discard()` removes the temporary file, so a
/// failed run leaves nothing behind under either name.
///
/// A killed process cannot discard, so the temporary name records its writer (host and process
/// id), and the next write of the same file removes the temporary files of writers on this host
/// that no longer run: a rerun after a crash or a SIGKILL cleans up after it. Temporary files of
/// other hosts (a shared volume) are left alone while their writers may still be running: until
/// nothing has written to them for `abandonedAfter`. Array jobs on Kubernetes, AWS Batch or Slurm
/// rerun on another host (pod) name, and a writer never pauses that long: the pipeline writes
/// to its output as it encodes.
final class AtomicFile {
  /// How long a temporary file must have gone unwritten before the next write of the same file
  /// removes it whoever wrote it.
  static let abandonedAfter: TimeInterval = 24 * 3600

  let finalURL: URL
  let temporaryURL: URL
  private var committed = false

  init(finalURL: URL) {
    self.finalURL = finalURL
    let directory = finalURL.deletingLastPathComponent()
    let prefix = ".\(finalURL.lastPathComponent).partial-"
    Self.removeAbandoned(prefix: prefix, in: directory)
    let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    temporaryURL = directory.appendingPathComponent("\(prefix)\(getpid())-\(Self.host)-\(token)")
  }

  /// This machine's name, reduced to letters and digits so that it cannot contain the separator.
  static let host: String = {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "host" }
    let kept = String(cString: name).unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
    return kept.isEmpty ? "host" : String(String.UnicodeScalarView(kept.prefix(32)))
  }()

  /// Removes `PREFIX…` files in `directory` that no writer will finish: those written on this host
  /// (`PREFIX<pid>-<host>-<token>`) by a process that no longer exists, and any untouched for
  /// `abandonedAfter` (another host's, an older name form's, or one whose pid was reused).
  private static func removeAbandoned(prefix: String, in directory: URL) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      let path = directory.appendingPathComponent(name).path
      if writerHasExited(name.dropFirst(prefix.count)) || untouchedFor(path) > abandonedAfter { unlink(path) }
    }
  }

  /// Whether `<pid>-<host>-<token>` names a writer on this host that no longer exists.
  private static func writerHasExited(_ suffix: Substring) -> Bool {
    let parts = suffix.split(separator: "-")
    guard parts.count == 3, parts[1] == host, let pid = Int32(parts[0]), pid > 0, pid != getpid() else { return false }
    return kill(pid, 0) != 0 && errno == ESRCH
  }

  /// Seconds since `path` was last written (0 when that cannot be read).
  private static func untouchedFor(_ path: String) -> TimeInterval {
    let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
    return modified.map { -$0.timeIntervalSinceNow } ?? 0
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
