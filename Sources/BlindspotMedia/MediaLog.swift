import CFFmpeg
import Synchronization

/// How much FFmpeg itself prints to standard error.
///
/// Quiet by default, for library users too: FFmpeg's messages can quote container tags, and
/// Blindspot reports every failure itself in one line. Raise it to debug an input.
public enum MediaLog {
  public enum Level: Int32, Sendable {
    case quiet = -8     // AV_LOG_QUIET
    case error = 16     // AV_LOG_ERROR
    case warning = 24   // AV_LOG_WARNING
    case info = 32      // AV_LOG_INFO
  }

  /// Whether someone chose a level; until then the first demuxer or encoder makes FFmpeg quiet.
  private static let chosen = Atomic<Bool>(false)

  /// The corresponding C function is `av_log_set_level`.
  public static func setLevel(_ level: Level) {
    chosen.store(true, ordering: .relaxed)
    av_log_set_level(level.rawValue)
  }

  /// FFmpeg's current level (the corresponding C function is `av_log_get_level`).
  public static var level: Int32 { av_log_get_level() }

  /// Makes FFmpeg quiet unless a level was chosen: FFmpeg's own default prints what it reads
  /// (stream tags included) and x264's statistics. Called as media is opened.
  static func applyDefault() {
    if !chosen.load(ordering: .relaxed) { av_log_set_level(Level.quiet.rawValue) }
  }

  /// Back to "no level chosen", with FFmpeg at `level` (for tests of the default).
  static func forgetChoice(leaving level: Level) {
    av_log_set_level(level.rawValue)
    chosen.store(false, ordering: .relaxed)
  }
}
