import BlindspotFiles
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A store that is a directory on local disk: the vehicle's outbox, which an uploader (or a person
/// with a cable) empties, or a mounted regional file share.
///
/// Each object is written to a temporary name in its final directory, fsynced, linked into place
/// (never replacing an existing file), and the directory is fsynced; then it is read back and its
/// SHA-256 compared. A crash at any point leaves either no object or a complete one (and possibly
/// a `.partial-*` file, which is never an object).
///
/// Thread-safety: a value type without state beyond its settings; concurrent puts of different
/// keys are safe, concurrent puts of one key end with one writer's file and the other seeing it.
public struct LocalStore: StorageBackend {
  public struct Settings: Hashable, Sendable {
    /// The outbox directory; created if missing.
    public var directory: URL
    /// Prepended to every key (`/`-separated), e.g. `anon/`.
    public var prefix: String

    public init(directory: URL, prefix: String = "") {
      self.directory = directory
      self.prefix = prefix
    }
  }

  public let name: String
  public let region: Region
  public let settings: Settings

  public init(name: String, region: Region, settings: Settings) {
    self.name = name
    self.region = region
    self.settings = settings
  }

  public func put(_ artifact: AnonymizedArtifact) async throws(StoreError) -> StoreReceipt {
    try requireRegion(of: artifact)
    do throws(StoreError) {
      let key = settings.prefix + artifact.key, sidecarKey = settings.prefix + artifact.sidecarKey
      let (outcome, size) = try write(artifact.file, sha256: artifact.sha256, to: key)
      for attachment in artifact.attachments {
        _ = try write(attachment.file, sha256: attachment.sha256, to: settings.prefix + attachment.key)
      }
      let sidecarDigest = try digest(of: artifact.sidecar)
      _ = try write(artifact.sidecar, sha256: sidecarDigest.sha256, to: sidecarKey)
      return StoreReceipt(store: name, key: key, sidecarKey: sidecarKey, size: size, outcome: outcome)
    } catch {
      throw error.inStore(name)
    }
  }

  /// The file that holds object `key`.
  public func url(forKey key: String) -> URL {
    settings.directory.appendingPathComponent(key, isDirectory: false)
  }

  /// Writes `source` (whose bytes must hash to `sha256`) as object `key`.
  func write(_ source: URL, sha256: String, to key: String) throws(StoreError) -> (StoreReceipt.Outcome, Int64) {
    let destination = url(forKey: key)
    let directory = destination.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw StoreError(.configuration, "cannot create outbox directory \(directory.path)")
    }
    PartialFile.removeAbandoned(of: destination)  // first: a crash may have come after the final name existed
    if let existing = try existingDigest(at: destination) {
      guard existing.sha256 == sha256 else { throw conflict(key) }
      return (.alreadyPresent, existing.size)
    }
    let temporary = PartialFile.temporaryURL(for: destination)
    defer { unlink(temporary.path) }
    let written = try copy(source, to: temporary)
    guard written.sha256 == sha256 else {
      throw StoreError(.conflict, "\(source.lastPathComponent) changed after the pipeline sealed it (sha256 differs); not stored")
    }
    // link(2) fails with EEXIST instead of replacing: a concurrent writer of the same key cannot be
    // overwritten. Filesystems without hard links (FAT, some FUSE mounts) fall back to rename(2).
    if link(temporary.path, destination.path) != 0 {
      let code = errno
      if code == EEXIST {
        guard try existingDigest(at: destination)?.sha256 == sha256 else { throw conflict(key) }
        return (.alreadyPresent, written.size)
      }
      guard [EPERM, ENOTSUP, EOPNOTSUPP, EMLINK].contains(code), rename(temporary.path, destination.path) == 0 else {
        throw StoreError(.unavailable, "cannot move \(key) into place: \(String(cString: strerror(errno)))")
      }
    }
    try syncDirectory(directory)
    // Verify: read back what the filesystem now holds under the key.
    guard let stored = try existingDigest(at: destination), stored == written else {
      unlink(destination.path)
      throw StoreError(.unavailable, "\(key) reads back different from what was written; removed, retry")
    }
    return (.stored, written.size)
  }

  private func conflict(_ key: String) -> StoreError {
    StoreError(.conflict, "\(key) already holds different content; not overwritten")
  }

  private func digest(of url: URL) throws(StoreError) -> FileDigest {
    do { return try FileDigest.of(url) } catch {
      throw StoreError(.unavailable, "cannot read \(url.lastPathComponent)")
    }
  }

  private func existingDigest(at url: URL) throws(StoreError) -> FileDigest? {
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    return try digest(of: url)
  }

  /// Copies `source` to the new file `destination` (which must not exist) and fsyncs it.
  private func copy(_ source: URL, to destination: URL) throws(StoreError) -> FileDigest {
    let input: FileHandle
    do { input = try FileHandle(forReadingFrom: source) } catch {
      throw StoreError(.unavailable, "cannot read \(source.lastPathComponent)")
    }
    defer { try? input.close() }
    let descriptor = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw StoreError(.unavailable, "cannot create \(destination.path): \(String(cString: strerror(errno)))")
    }
    let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    defer { try? output.close() }
    var hasher = SHA256Hasher()
    do {
      while let chunk = try input.read(upToCount: FileDigest.chunkSize), !chunk.isEmpty {
        try output.write(contentsOf: chunk)
        hasher.update(chunk)
      }
      try output.synchronize()  // fsync(2): the bytes are on disk before the name points at them.
    } catch {
      throw StoreError(.unavailable, "writing \(destination.lastPathComponent) failed: \(error.localizedDescription)")
    }
    return hasher.finish()
  }

  private func syncDirectory(_ directory: URL) throws(StoreError) {
    do { try Fsync.directory(at: directory) } catch {
      throw StoreError(.unavailable, "fsync of \(directory.path) failed: \(error.localizedDescription)")
    }
  }
}
