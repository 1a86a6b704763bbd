import CFFmpeg

/// Decodes one video stream: the owner of an `AVCodecContext` opened for decoding.
///
/// Not thread-safe; confined to the decode stage. Threading inside FFmpeg is on (frame threads).
public final class VideoDecoder {
  let context: UnsafeMutablePointer<AVCodecContext>
  public let stream: StreamInfo
  /// The pts given to the last frame, so frames without a timestamp get a monotonic one.
  private var lastPts: Int64 = CFF_NOPTS_VALUE
  private let ptsStep: Int64

  /// The corresponding C functions are `avcodec_find_decoder`, `avcodec_parameters_to_context`, `avcodec_open2`.
  public init(demuxer: Demuxer, stream: StreamInfo, threads: Int = 0) throws(MediaError) {
    let parameters = demuxer.parameters(ofStream: stream.index)
    guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
      throw MediaError(.unsupported, operation: "open decoder", message: "no decoder for codec '\(stream.codecName)'")
    }
    guard let context = avcodec_alloc_context3(codec) else {
      throw MediaError(.unsupported, code: CFF_ENOMEM, operation: "allocate decoder")
    }
    self.context = context
    self.stream = stream
    // One frame's duration in the stream's time base, for streams that carry no timestamps.
    let rate = stream.frameRate.isValid ? stream.frameRate : Rational(30, 1)
    ptsStep = max(1, Rational(rate.denominator, rate.numerator).rescale(1, to: stream.timeBase))
    try check(avcodec_parameters_to_context(context, parameters), .badInput, "configure decoder")
    context.pointee.pkt_timebase = stream.timeBase.av
    // The API default is one thread (the ffmpeg CLI uses auto): 0 lets FFmpeg choose per core.
    context.pointee.thread_count = Int32(threads)
    try check(avcodec_open2(context, codec, nil), .unsupported, "open decoder '\(stream.codecName)'")
  }

  deinit {
    var owned: UnsafeMutablePointer<AVCodecContext>? = context
    avcodec_free_context(&owned)
  }

  /// Feeds one packet of this stream. A corrupt packet is not fatal (FFmpeg conceals it and the
  /// next keyframe recovers), so `.invalidData` is returned instead of thrown.
  /// The corresponding C function is `avcodec_send_packet`.
  public func send(_ packet: Packet) throws(MediaError) -> SendResult {
    try send(packet.raw)
  }

  /// Tells the decoder the input ended, so it releases the frames it holds back.
  public func sendEndOfStream() throws(MediaError) {
    _ = try send(nil)
  }

  public enum SendResult { case accepted, invalidData }

  private func send(_ packet: UnsafeMutablePointer<AVPacket>?) throws(MediaError) -> SendResult {
    let status = avcodec_send_packet(context, packet)
    switch status {
    case 0, CFF_EOF: return .accepted
    case CFF_INVALIDDATA: return .invalidData
    case CFF_EAGAIN:
      // The caller drains frames after every packet, so the decoder never refuses input.
      preconditionFailure("decoder refused a packet although all frames were drained")
    default: throw MediaError(.badInput, code: status, operation: "decode video")
    }
  }

  /// The next decoded frame, `nil` when the decoder needs more input or is fully drained.
  /// Corrupt data mid-stream is concealed by FFmpeg and does not end decoding.
  /// The corresponding C function is `avcodec_receive_frame`.
  public func receive() throws(MediaError) -> DecodedFrame? {
    guard let frame = av_frame_alloc() else { throw MediaError(.badInput, code: CFF_ENOMEM, operation: "allocate frame") }
    let status = avcodec_receive_frame(context, frame)
    guard status == 0 else {
      var owned: UnsafeMutablePointer<AVFrame>? = frame
      av_frame_free(&owned)
      if status == CFF_EAGAIN || status == CFF_EOF { return nil }
      throw MediaError(.badInput, code: status, operation: "decode video")
    }
    // Keep the presentation timestamps of the input; encoders require them strictly increasing.
    var pts = frame.pointee.best_effort_timestamp
    if pts == CFF_NOPTS_VALUE { pts = lastPts == CFF_NOPTS_VALUE ? 0 : lastPts + ptsStep }
    if lastPts != CFF_NOPTS_VALUE, pts <= lastPts { pts = lastPts + 1 }
    frame.pointee.pts = pts
    frame.pointee.pict_type = AV_PICTURE_TYPE_NONE  // else x264 copies the source's frame types
    lastPts = pts
    return DecodedFrame(taking: frame)
  }

  public var pixelFormat: PixelFormat { PixelFormat(rawValue: context.pointee.pix_fmt.rawValue) }
  /// Colour properties the encoder copies so the output looks the same.
  var colorProperties: ColorProperties {
    ColorProperties(range: context.pointee.color_range, primaries: context.pointee.color_primaries,
                    transfer: context.pointee.color_trc, space: context.pointee.colorspace,
                    chromaLocation: context.pointee.chroma_sample_location)
  }
}

/// Colour description copied from decoder to encoder (playback needs it; it identifies nobody).
struct ColorProperties {
  var range: AVColorRange
  var primaries: AVColorPrimaries
  var transfer: AVColorTransferCharacteristic
  var space: AVColorSpace
  var chromaLocation: AVChromaLocation
}

@available(*, unavailable, message: "A decoder is confined to the decode stage")
extension VideoDecoder: Sendable {}
