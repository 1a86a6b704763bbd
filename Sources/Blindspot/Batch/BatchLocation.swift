import Foundation

/// Where a batch input lives: a local file or an object in an S3-compatible bucket.
public enum BatchLocation: Hashable, Sendable, CustomStringConvertible {
  case file(URL)
  /// `s3://bucket/key`.
  case object(bucket: String, key: String)

  /// Parses `s3://bucket/key` or a path (relative paths are resolved against `base`).
  /// Returns nil for an `s3://` URI without bucket or key.
  public init?(_ text: String, relativeTo base: URL) {
    if text.hasPrefix("s3://") {
      let rest = text.dropFirst("s3://".count)
      guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex else {
        return nil
      }
      self = .object(bucket: String(rest[..<slash]), key: String(rest[rest.index(after: slash)...]))
    } else {
      let url = text.hasPrefix("/") ? URL(fileURLWithPath: text) : base.appendingPathComponent(text)
      self = .file(url.standardizedFileURL)
    }
  }

  /// A path-like spelling, `/`-separated, used to find the common root of a work list:
  /// the file's path, or `/s3:bucket/key`.
  var layoutPath: String {
    switch self {
    case .file(let url): url.path
    case .object(let bucket, let key): "/s3:\(bucket)/\(key)"
    }
  }

  public var description: String {
    switch self {
    case .file(let url): url.path
    case .object(let bucket, let key): "s3://\(bucket)/\(key)"
    }
  }
}
