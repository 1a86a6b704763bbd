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
  /// A file the pipeline wrote beside the video and that is stored with it: an anonymized sensor
  /// track (`clip.mp4.sensor.jsonl`, `clip.gpx`, `event.json`).
  public struct Attachment: Hashable, Sendable {
    public let file: URL
    /// The object's name inside a store: beside the video's key.
    public let key: String
    /// SHA-256 of `file`'s bytes as the pipeline recorded them in the sidecar.
    public let sha256: String
  }

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
  /// Stored after the video and before the sidecar, so a stored sidecar means all of them are there.
  public let attachments: [Attachment]

  /// An artifact. Only for the pipeline's factory and tests (see the type's documentation).
  ///
  /// `key` defaults to the file's name. A key that is empty, absolute, or has an empty, `.` or
  /// `..` segment is a bug in the caller: it traps.
  ///
  /// `attachments` are files and their sha256; each is stored under its own name beside the key.
  package init(file: URL, region: Region, sidecar: URL, sha256: String, key: String? = nil,
               attachments: [(file: URL, sha256: String)] = []) {
    let key = key ?? file.lastPathComponent
    precondition(Self.isValidKey(key), "artifact key must be a relative path without '.', '..' or empty segments")
    for digest in [sha256] + attachments.map(\.sha256) {
      precondition(digest.count == 64 && digest.allSatisfy(\.isHexDigit), "sha256 must be 64 hex digits")
    }
    self.file = file
    self.region = region
    self.sidecar = sidecar
    self.sha256 = sha256.lowercased()
    self.key = key
    self.attachments = attachments.map {
      Attachment(file: $0.file, key: Self.key(of: $0.file.lastPathComponent, beside: key), sha256: $0.sha256.lowercased())
    }
  }

  /// The key of the sidecar object: the artifact's key with `.anon.json` in place of its extension
  /// (as the pipeline names sidecars), or the sidecar's own name beside the key.
  public var sidecarKey: String { Self.key(of: sidecar.lastPathComponent, beside: key) }

  /// The key of a file named `name` in the same folder as `key`.
  private static func key(of name: String, beside key: String) -> String {
    let directory = key.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    return directory.isEmpty ? name : "\(directory)/\(name)"
  }

  static func isValidKey(_ key: String) -> Bool {
    guard !key.isEmpty, !key.hasPrefix("/") else { return false }
    return key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
  }
}
