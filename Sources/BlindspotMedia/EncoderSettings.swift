/// How the redacted video is encoded. The encoder is chosen by its FFmpeg name, so hardware
/// encoders (`h264_nvenc`, `hevc_nvenc`) work where the machine and the FFmpeg build have them.
public struct EncoderSettings: Sendable, Equatable, Codable {
  /// FFmpeg encoder name: `libx264` (default), `libx265`, `h264_nvenc`, …
  public var codec: String
  /// Encoder preset (`ultrafast` … `veryslow` for x264/x265); nil keeps the encoder's default.
  public var preset: String?
  /// Constant rate factor; ignored when `bitrate` is set.
  public var crf: Double?
  /// Target bit rate in bits per second.
  public var bitrate: Int?
  /// Encoder threads; 0 lets FFmpeg choose from the core count.
  public var threads: Int
  /// Further private options of the encoder, passed by name (e.g. `tune=zerolatency`).
  public var options: [String: String]

  public init(codec: String = "libx264", preset: String? = "veryfast", crf: Double? = 23, bitrate: Int? = nil,
              threads: Int = 0, options: [String: String] = [:]) {
    self.codec = codec
    self.preset = preset
    self.crf = crf
    self.bitrate = bitrate
    self.threads = threads
    self.options = options
  }
}
