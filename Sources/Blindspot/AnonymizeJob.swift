import Foundation

/// One input to anonymize and where its result goes.
public struct AnonymizeJob: Sendable, Equatable {
  /// What FFmpeg opens: a path, `pipe:0` for standard input, or a URL.
  public var source: String
  /// The input as the user named it, for messages and the sidecar.
  public var name: String
  /// The local file behind `source`, when there is one (hashed for the sidecar, checked up front).
  public var file: URL?
  public var output: URL
  /// `--detections`: where to write every redacted box, if wanted.
  public var detectionsLog: URL?
  /// The ETag of the S3 object `file` was downloaded from, recorded in the sidecar.
  public var sourceETag: String?

  public init(source: String, name: String, file: URL?, output: URL, detectionsLog: URL? = nil, sourceETag: String? = nil) {
    self.source = source
    self.name = name
    self.file = file
    self.output = output
    self.detectionsLog = detectionsLog
    self.sourceETag = sourceETag
  }

  /// A job for a local file.
  public static func file(_ input: URL, output: URL, detectionsLog: URL? = nil) -> AnonymizeJob {
    AnonymizeJob(source: input.path, name: input.path, file: input, output: output, detectionsLog: detectionsLog)
  }
}
