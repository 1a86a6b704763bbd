import CFFmpeg

/// What a demuxed stream is, copied out of FFmpeg so it can travel freely.
public struct StreamInfo: Sendable {
  public enum Kind: Sendable, Equatable { case video, audio, subtitle, data, attachment, other }

  public let index: Int
  public let kind: Kind
  public let codecName: String
  public let timeBase: Rational
  /// The average frame rate, or the container's base rate when the average is unknown.
  public let frameRate: Rational
  public let realFrameRate: Rational
  public let width: Int
  public let height: Int
  public let sampleAspectRatio: Rational
  /// The 3×3 display matrix (rotation/flip) as 36 raw bytes, when the stream has one.
  public let displayMatrix: [UInt8]?
  /// Frames the container claims; 0 when unknown.
  public let declaredFrameCount: Int64
  /// Duration in seconds, when known.
  public let duration: Double?

  init(_ stream: UnsafeMutablePointer<AVStream>) {
    let s = stream.pointee
    let parameters = s.codecpar.pointee
    index = Int(s.index)
    switch parameters.codec_type {
    case AVMEDIA_TYPE_VIDEO: kind = .video
    case AVMEDIA_TYPE_AUDIO: kind = .audio
    case AVMEDIA_TYPE_SUBTITLE: kind = .subtitle
    case AVMEDIA_TYPE_DATA: kind = .data
    case AVMEDIA_TYPE_ATTACHMENT: kind = .attachment
    default: kind = .other
    }
    codecName = avcodec_get_name(parameters.codec_id).map { String(cString: $0) } ?? "unknown"
    timeBase = Rational(s.time_base)
    realFrameRate = Rational(s.r_frame_rate)
    frameRate = Rational(s.avg_frame_rate).isValid ? Rational(s.avg_frame_rate) : Rational(s.r_frame_rate)
    width = Int(parameters.width)
    height = Int(parameters.height)
    sampleAspectRatio = Rational(parameters.sample_aspect_ratio)
    var size = 0
    if let matrix = cff_stream_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size == 36 {
      displayMatrix = Array(UnsafeBufferPointer(start: matrix, count: size))
    } else {
      displayMatrix = nil
    }
    declaredFrameCount = s.nb_frames
    duration = s.duration != CFF_NOPTS_VALUE && s.duration > 0
      ? Double(s.duration) * Rational(s.time_base).doubleValue : nil
  }

  /// Clockwise rotation in degrees that a player applies, from the display matrix (0 when none).
  /// The corresponding C function is `av_display_rotation_get`.
  public var rotationDegrees: Double {
    guard let matrix = displayMatrix else { return 0 }
    let angle = matrix.withUnsafeBytes { av_display_rotation_get($0.bindMemory(to: Int32.self).baseAddress) }
    return angle.isNaN ? 0 : -angle
  }
}
