import CFFmpeg

/// Encodes redacted frames: the owner of an `AVCodecContext` opened for encoding.
///
/// Accepts only `RedactedFrame`, so no path can encode a raw decoded picture.
/// Not thread-safe; confined to the encode stage.
public final class VideoEncoder {
  let context: UnsafeMutablePointer<AVCodecContext>
  /// The format frames must have when they reach `send`; convert with `FormatConverter` first.
  public let pixelFormat: PixelFormat
  public let timeBase: Rational
  public let frameRate: Rational

  /// Opens the encoder for the decoder's geometry, colour and timing.
  /// The corresponding C functions are `avcodec_find_encoder_by_name` and `avcodec_open2`.
  /// `reorderFrames: false` turns B-frames off, for containers without presentation timestamps.
  public init(settings: EncoderSettings, decoder: VideoDecoder, globalHeader: Bool, reorderFrames: Bool = true) throws(MediaError) {
    MediaLog.applyDefault()
    guard let codec = avcodec_find_encoder_by_name(settings.codec), av_codec_is_encoder(codec) != 0,
          codec.pointee.type == AVMEDIA_TYPE_VIDEO
    else {
      throw MediaError(.configuration, operation: "open encoder", message: "no video encoder named '\(settings.codec)' in this FFmpeg build")
    }
    guard let context = avcodec_alloc_context3(codec) else {
      throw MediaError(.configuration, code: CFF_ENOMEM, operation: "allocate encoder")
    }
    self.context = context
    let source = decoder.context.pointee
    let format = try Self.choosePixelFormat(codec: codec, source: decoder.pixelFormat)
    pixelFormat = format
    timeBase = decoder.stream.timeBase.isValid ? decoder.stream.timeBase : Rational(1, 90_000)
    frameRate = decoder.stream.frameRate.isValid ? decoder.stream.frameRate : Rational(30, 1)

    context.pointee.width = source.width
    context.pointee.height = source.height
    context.pointee.pix_fmt = format.av
    context.pointee.sample_aspect_ratio = source.sample_aspect_ratio
    // Timestamps stay in the input stream's time base, so every frame keeps its exact pts.
    context.pointee.time_base = timeBase.av
    context.pointee.framerate = frameRate.av
    let colors = decoder.colorProperties
    context.pointee.color_range = colors.range
    context.pointee.color_primaries = colors.primaries
    context.pointee.color_trc = colors.transfer
    context.pointee.colorspace = colors.space
    context.pointee.chroma_sample_location = colors.chromaLocation
    context.pointee.thread_count = Int32(settings.threads)
    if globalHeader { context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
    if let bitrate = settings.bitrate { context.pointee.bit_rate = Int64(bitrate) }
    if !reorderFrames { context.pointee.max_b_frames = 0 }

    var options: OpaquePointer? = nil
    defer { av_dict_free(&options) }
    var wanted = settings.options
    if let preset = settings.preset { wanted["preset"] = preset }
    if settings.bitrate == nil, let crf = settings.crf { wanted["crf"] = String(crf) }
    for (key, value) in wanted.sorted(by: { $0.key < $1.key }) { av_dict_set(&options, key, value, 0) }
    try check(avcodec_open2(context, codec, &options), .configuration, "open encoder '\(settings.codec)'")
    // avcodec_open2 leaves the options it did not recognise in the dictionary.
    if let unknown = av_dict_get(options, "", nil, AV_DICT_IGNORE_SUFFIX) {
      throw MediaError(.configuration, operation: "open encoder '\(settings.codec)'",
                       message: "the encoder has no option '\(String(cString: unknown.pointee.key))'")
    }
  }

  deinit {
    var owned: UnsafeMutablePointer<AVCodecContext>? = context
    avcodec_free_context(&owned)
  }

  /// The decoder's format when the encoder takes it and the redactor can edit it; else the
  /// encoder's closest format that the redactor can edit.
  private static func choosePixelFormat(codec: UnsafePointer<AVCodec>, source: PixelFormat) throws(MediaError) -> PixelFormat {
    guard let list = cff_codec_pix_fmts(codec) else {
      guard source.planeLayout != nil else { return .yuv420p }
      return source
    }
    var editable: [AVPixelFormat] = []
    var index = 0
    while list[index] != AV_PIX_FMT_NONE {
      if PixelFormat(list[index]).planeLayout != nil { editable.append(list[index]) }
      index += 1
    }
    if editable.contains(source.av) { return source }
    guard !editable.isEmpty else {
      throw MediaError(.configuration, operation: "open encoder", message: "the encoder takes no pixel format the redactor can edit (hardware surfaces need an upload step)")
    }
    editable.append(AV_PIX_FMT_NONE)
    return PixelFormat(avcodec_find_best_pix_fmt_of_list(editable, source.av, 0, nil))
  }

  /// Sends one frame; the encoder keeps its own reference to the pixels, the frame is freed here.
  /// The corresponding C function is `avcodec_send_frame`.
  public func send(_ frame: consuming RedactedFrame) throws(MediaError) {
    try check(avcodec_send_frame(context, frame.raw), .output, "encode video")
  }

  /// Tells the encoder no more frames come, so it emits what it holds (B-frames, look-ahead).
  public func sendEndOfStream() throws(MediaError) {
    let status = avcodec_send_frame(context, nil)
    if status != CFF_EOF { try check(status, .output, "flush encoder") }
  }

  public enum ReceiveResult { case packet, needsInput, drained }

  /// The next encoded packet, in the encoder's time base.
  /// The corresponding C function is `avcodec_receive_packet`.
  public func receive(into packet: Packet) throws(MediaError) -> ReceiveResult {
    packet.unref()
    switch avcodec_receive_packet(context, packet.raw) {
    case 0: return .packet
    case CFF_EAGAIN: return .needsInput
    case CFF_EOF: return .drained
    case let code: throw MediaError(.output, code: code, operation: "encode video")
    }
  }

  /// The encoder's name as FFmpeg reports it.
  public var name: String { String(cString: context.pointee.codec.pointee.name) }
}

@available(*, unavailable, message: "An encoder is confined to the encode stage")
extension VideoEncoder: Sendable {}
