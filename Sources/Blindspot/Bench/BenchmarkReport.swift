import Foundation

/// What `blindspot bench` measured: medians over repeated, alternating runs of a plain
/// decode→encode and of the full anonymization of the same clip, in the same session.
public struct BenchmarkReport: Codable, Sendable {
  /// Medians of one mode's runs.
  public struct Mode: Codable, Sendable {
    public var runs: Int
    public var framesPerSecond: Double
    /// Stream seconds processed per wall second (1 = real time).
    public var realTimeFactor: Double
    public var cpuSecondsPerFrame: Double
    public var peakResidentMegabytes: Double
    /// Wall milliseconds per frame in each pipeline stage (from the pipeline's own timers).
    public var stageMillisecondsPerFrame: [String: Double]
    /// Detector invocations per frame (every detector, every tile).
    public var detectorCallsPerFrame: Double
  }

  public var clip: String
  public var frames: Int
  public var width: Int
  public var height: Int
  public var streamFramesPerSecond: Double
  public var cores: Int
  public var plain: Mode
  public var anonymize: Mode
  /// anonymize fps ÷ plain fps: the cost of privacy on top of the re-encode.
  public var ratio: Double
  /// The same transcode by the `ffmpeg` command line, when asked for.
  public var ffmpegCLI: Mode?
  /// Another tool timed on the same clip (`--vs-command`), its command line, and anonymize fps ÷ its fps.
  public var command: Mode?
  public var commandLine: String?
  public var speedupOverCommand: Double?
  public var parameters: AnonymizeOptions

  public func encoded() throws -> Data {
    try ReportJSON.encoder().encode(self)
  }

  public var table: String {
    func row(_ name: String, _ mode: Mode) -> String {
      name.padding(toLength: 12, withPad: " ", startingAt: 0)
        + String(format: " %7.1f %8.2f× %9.1f %8.0f  ", mode.framesPerSecond, mode.realTimeFactor,
                 mode.cpuSecondsPerFrame * 1000, mode.peakResidentMegabytes) + stages(mode)
    }
    func stages(_ mode: Mode) -> String {
      mode.stageMillisecondsPerFrame.sorted { $0.key < $1.key }.filter { $0.value >= 0.05 }
        .map { "\($0.key) \(String(format: "%.1f", $0.value))" }.joined(separator: ", ")
    }
    var lines = [
      "\(clip): \(width)×\(height), \(frames) frames at \(String(format: "%.2f", streamFramesPerSecond)) fps; \(cores) cores; medians of \(plain.runs) runs each",
      "mode             fps  realtime  CPU ms/f  peak MB  stage ms/frame",
      row("plain", plain),
      row("anonymize", anonymize),
    ]
    if let ffmpegCLI { lines.append(row("ffmpeg CLI", ffmpegCLI)) }
    if let command { lines.append(row("command", command)) }
    lines.append(String(format: "ratio anonymize/plain: %.3f   detector calls per frame: %.2f", ratio, anonymize.detectorCallsPerFrame))
    if let speedupOverCommand, let commandLine {
      lines.append(String(format: "anonymize is %.1f× the speed of: ", speedupOverCommand) + commandLine)
    }
    return lines.joined(separator: "\n")
  }
}
