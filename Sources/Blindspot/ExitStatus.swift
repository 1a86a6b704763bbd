/// Process exit codes, one per kind of failure, so callers (shell scripts, batch engines) can
/// decide whether to retry without parsing messages.
public enum ExitStatus: Int32, Sendable, CaseIterable {
  case success = 0
  /// Bad command line or configuration: unknown option value, missing models, unknown encoder.
  case usage = 1
  /// The input cannot be anonymized as given: missing, empty, truncated, corrupt, no video,
  /// undecodable; or the output path is unusable (missing or read-only directory, same as input).
  case badInput = 2
  /// A privacy rule refused to produce output: a detector failed under `--on-detector-error abort`,
  /// or (later) a write would cross regions.
  case policy = 3
  /// Retryable I/O: writing the output failed part-way (disk full, store unreachable).
  case retryableIO = 4
}
