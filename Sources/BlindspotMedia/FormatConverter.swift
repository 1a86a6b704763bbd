import CFFmpeg

/// Converts decoded frames to the pixel format the encoder needs, when the decoder's differs
/// (for example 4:2:2 input for a 4:2:0-only hardware encoder). The result is still a raw
/// `DecodedFrame`: conversion does not count as redaction.
///
/// Not thread-safe; owned by the decode stage.
public final class FormatConverter {
  public let target: PixelFormat
  private let scale = ScaleContext(flags: SWS_BICUBIC | SWS_ACCURATE_RND)

  public init(target: PixelFormat) { self.target = target }

  /// Returns `frame` unchanged when it already has the target format.
  /// The corresponding C functions are `av_frame_get_buffer`, `sws_scale` and `av_frame_copy_props`.
  public func convert(_ frame: consuming DecodedFrame) throws(MediaError) -> DecodedFrame {
    if frame.pixelFormat == target { return frame }
    guard let converted = av_frame_alloc() else { throw MediaError(.unsupported, code: CFF_ENOMEM, operation: "allocate frame") }
    let result = DecodedFrame(taking: converted)  // frees `converted` on every path below
    converted.pointee.width = Int32(frame.width)
    converted.pointee.height = Int32(frame.height)
    converted.pointee.format = target.rawValue
    try check(av_frame_get_buffer(converted, 0), .unsupported, "allocate frame")
    try check(av_frame_copy_props(converted, frame.raw), .unsupported, "copy frame properties")
    let context = try scale.prepare(.init(
      sourceWidth: Int32(frame.width), sourceHeight: Int32(frame.height), sourceFormat: frame.pixelFormat.rawValue,
      targetWidth: Int32(frame.width), targetHeight: Int32(frame.height), targetFormat: target.rawValue))
    let rows = sws_scale(context, cff_frame_data_array(frame.raw), cff_frame_linesize_array(frame.raw), 0,
                         Int32(frame.height), cff_frame_mutable_data_array(converted), cff_frame_linesize_array(converted))
    guard rows == Int32(frame.height) else {
      throw MediaError(.unsupported, operation: "convert pixel format", message: "swscale failed (\(frame.pixelFormat) → \(target))")
    }
    return result
  }
}

@available(*, unavailable, message: "A converter is confined to one stage")
extension FormatConverter: Sendable {}
