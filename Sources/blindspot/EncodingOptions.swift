import ArgumentParser
import BlindspotMedia

/// Flags that choose the video encoder, shared by every command that encodes.
struct EncodingOptions: ParsableArguments {
  @Option(help: "FFmpeg encoder name: libx264, libx265, or a hardware encoder such as h264_nvenc.")
  var codec = "libx264"

  @Option(help: "Encoder preset (x264/x265: ultrafast … veryslow).")
  var preset = "veryfast"

  @Option(help: "Constant rate factor (lower is better quality); ignored with --bitrate.")
  var crf: Double = 23

  @Option(help: "Target bit rate, e.g. 4M or 800k (replaces --crf).", transform: EncodingOptions.parseBitrate)
  var bitrate: Int?

  @Option(name: .customLong("encoder-option"), help: "Private encoder option KEY=VALUE (repeatable).")
  var encoderOptions: [String] = []

  func validate() throws {
    for option in encoderOptions where !option.contains("=") {
      throw ValidationError("--encoder-option takes KEY=VALUE, got '\(option)'")
    }
  }

  var settings: EncoderSettings {
    var extra: [String: String] = [:]
    for option in encoderOptions {
      let parts = option.split(separator: "=", maxSplits: 1)
      extra[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    return EncoderSettings(codec: codec, preset: preset.isEmpty ? nil : preset, crf: crf, bitrate: bitrate, options: extra)
  }

  static func parseBitrate(_ text: String) throws -> Int {
    let multipliers: [Character: Double] = ["k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "g": 1e9, "G": 1e9]
    var digits = Substring(text)
    var multiplier = 1.0
    if let last = digits.last, let factor = multipliers[last] {
      multiplier = factor
      digits = digits.dropLast()
    }
    guard let value = Double(digits), value > 0 else { throw ValidationError("bad bit rate '\(text)' (try 4M or 800k)") }
    return Int(value * multiplier)
  }
}
