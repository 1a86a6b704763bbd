import CFFmpeg

/// How much FFmpeg itself prints to standard error.
///
/// Quiet by default: FFmpeg's messages can quote container tags, and Blindspot reports every
/// failure itself in one line. Raise it to debug an input.
public enum MediaLog {
  public enum Level: Int32, Sendable {
    case quiet = -8     // AV_LOG_QUIET
    case error = 16     // AV_LOG_ERROR
    case warning = 24   // AV_LOG_WARNING
    case info = 32      // AV_LOG_INFO
  }

  /// The corresponding C function is `av_log_set_level`.
  public static func setLevel(_ level: Level) { av_log_set_level(level.rawValue) }
}
