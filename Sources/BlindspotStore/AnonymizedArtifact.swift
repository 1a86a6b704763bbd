import Foundation

/// An output of the anonymizing pipeline, and the only thing a store accepts.
///
/// A store's API takes an `AnonymizedArtifact`, never a path, so no code path can upload a raw
/// camera segment: to get one you need the pipeline's result.
///
/// Important: only the pipeline (module `Blindspot`) creates artifacts, through its factory that
/// takes the pipeline's result after the output and its sidecar are durable. Swift has no friend
/// modules, so the initializer has `package` access: targets of this package (the pipeline and
/// the tests) can call it; code that merely depends on the `Blindspot` library cannot.
public struct AnonymizedArtifact: Hashable, Sendable {
  /// The anonymized video (or sensor track) on local disk.
  public let file: URL
  /// The region the data was recorded in; it may be stored only there.
  public let region: Region
  /// The `NAME.anon.json` sidecar written beside `file`.
  public let sidecar: URL
  /// SHA-256 of `file`'s bytes, lower-case hex, as the pipeline computed it when it wrote the file.
  public let sha256: String
  /// The object's name inside a store, relative to the store's prefix (`/`-separated, no `..`).
  public let key: String

  /// An artifact. Only for the pipeline's factory and tests (see the type's documentation).
  ///
  /// `key` defaults to the file's name. A key that is empty, absolute, or has an empty, `.` or
  /// `..` segment is a bug in the caller: it traps.
  package init(file: URL, region: Region, sidecar: URL, sha256: String, key: String? = nil) {
    let key = key ?? file.lastPathComponent
    precondition(Self.isValidKey(key), "artifact key must be a relative path without '.', '..' or empty segments")
    precondition(sha256.count == 64 && sha256.allSatisfy(\.isHexDigit), "sha256 must be 64 hex digits")
    self.file = file
    self.region = region
    self.sidecar = sidecar
    self.sha256 = sha256.lowercased()
    self.key = key
  }

  /// The key of the sidecar object: the artifact's key with `.anon.json` in place of its extension
  /// (as the pipeline names sidecars), or the sidecar's own name beside the key.
  public var sidecarKey: String {
    let directory = key.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let name = sidecar.lastPathComponent
    return directory.isEmpty ? name : "\(directory)/\(name)"
  }

  static func isValidKey(_ key: String) -> Bool {
    guard !key.isEmpty, !key.hasPrefix("/") else { return false }
    return key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
  }
}
