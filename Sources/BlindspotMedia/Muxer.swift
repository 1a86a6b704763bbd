import CFFmpeg

/// Writes the output container: the owner of an output `AVFormatContext` and its file.
///
/// Metadata policy (invariant 3): nothing is copied from the input unless this type copies it,
/// and it copies only what playback needs — for video, the frame rate, sample aspect ratio,
/// colour description (via the encoder) and the display matrix (rotation); for a kept audio
/// stream, its codec parameters. No container or stream tags (title, location, make, model,
/// creation_time, encoder, serials) are written, and `AVFMT_FLAG_BITEXACT` keeps FFmpeg from
/// adding its own version tag.
///
/// Not thread-safe; confined to the mux stage. Call `finish()` to write the trailer: a muxer
/// released without it has written an incomplete file, which the caller deletes.
public final class Muxer {
  let context: UnsafeMutablePointer<AVFormatContext>
  public let path: String
  private var timeBases: [Rational] = []
  private var sourceTimeBases: [Rational] = []
  private var started = false
  private var finished = false

  /// Prepares a container of `format` (an FFmpeg muxer name such as "mp4", "matroska",
  /// "mpegts", "mov"), or guessed from `formatHint` (a file name) when `format` is nil.
  /// The corresponding C function is `avformat_alloc_output_context2`.
  public init(path: String, format: String?, formatHint: String? = nil) throws(MediaError) {
    MediaLog.applyDefault()
    var context: UnsafeMutablePointer<AVFormatContext>? = nil
    let status = avformat_alloc_output_context2(&context, nil, format, format == nil ? (formatHint ?? path) : path)
    guard status >= 0, let context else {
      let what = format.map { "'\($0)'" } ?? "for '\(formatHint ?? path)'"
      throw MediaError(.configuration, code: status, operation: "choose output format",
                       message: "no output container \(what); name one with --format (mp4, mov, mkv, mpegts)")
    }
    context.pointee.flags |= AVFMT_FLAG_BITEXACT
    self.context = context
    self.path = path
  }

  deinit {
    if started && !finished { avio_closep(&context.pointee.pb) }
    avformat_free_context(context)
  }

  /// The container's short name, such as "mp4".
  public var formatName: String { String(cString: context.pointee.oformat.pointee.name) }

  /// True when the container stores codec headers once (MP4, MKV): encoders must then be opened
  /// with `AV_CODEC_FLAG_GLOBAL_HEADER`.
  public var needsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

  /// False for FFmpeg's `null` muxer (and other file-less ones): nothing is written.
  public var writesFile: Bool { context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 }

  /// False for containers that store only decode order (AVI): B-frames would then lose their
  /// presentation times, so encoders must not reorder frames.
  public var storesPresentationOrder: Bool { formatName != "avi" }

  /// Adds the encoded video stream. Returns its output index.
  /// The corresponding C function is `avformat_new_stream`.
  public func addVideoStream(encoder: VideoEncoder, source: StreamInfo) throws(MediaError) -> Int {
    let stream = try newStream()
    try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context), .configuration, "configure video stream")
    stream.pointee.time_base = encoder.timeBase.av
    stream.pointee.avg_frame_rate = encoder.frameRate.av
    if source.realFrameRate.isValid { stream.pointee.r_frame_rate = source.realFrameRate.av }
    stream.pointee.sample_aspect_ratio = encoder.context.pointee.sample_aspect_ratio
    if let matrix = source.displayMatrix, let target = cff_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, matrix.count) {
      matrix.withUnsafeBytes { target.initialize(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: matrix.count) }
    }
    return register(stream, sourceTimeBase: encoder.timeBase)
  }

  /// Adds a stream whose packets are copied unchanged from `demuxer` (kept audio). Only codec
  /// parameters travel; tags, language and handler names do not.
  public func addCopiedStream(from demuxer: Demuxer, source: StreamInfo) throws(MediaError) -> Int {
    let stream = try newStream()
    try check(avcodec_parameters_copy(stream.pointee.codecpar, demuxer.parameters(ofStream: source.index)),
              .configuration, "configure copied stream")
    stream.pointee.codecpar.pointee.codec_tag = 0  // let the output container pick its own tag
    stream.pointee.time_base = source.timeBase.av
    return register(stream, sourceTimeBase: source.timeBase)
  }

  private func newStream() throws(MediaError) -> UnsafeMutablePointer<AVStream> {
    precondition(!started, "streams must be added before begin()")
    guard let stream = avformat_new_stream(context, nil) else {
      throw MediaError(.configuration, code: CFF_ENOMEM, operation: "add stream")
    }
    return stream
  }

  private func register(_ stream: UnsafeMutablePointer<AVStream>, sourceTimeBase: Rational) -> Int {
    sourceTimeBases.append(sourceTimeBase)
    return Int(stream.pointee.index)
  }

  /// Opens the file and writes the header.
  /// The corresponding C functions are `avio_open` and `avformat_write_header`.
  public func begin() throws(MediaError) {
    precondition(!started, "begin() called twice")
    if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
      try check(avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE), .output, "open output '\(path)'")
    }
    started = true
    try check(avformat_write_header(context, nil), .configuration, "write \(formatName) header")
    // The muxer may have changed each stream's time base; packets are rescaled to the final one.
    timeBases = (0..<Int(context.pointee.nb_streams)).map { Rational(cff_format_stream(context, UInt32($0))!.pointee.time_base) }
  }

  /// Writes `packet` to output stream `index`, rescaling its timestamps from `timeBase` (the
  /// encoder's or the input stream's). The packet is consumed (unreferenced) by FFmpeg.
  /// The corresponding C function is `av_interleaved_write_frame`.
  public func write(_ packet: Packet, toStream index: Int) throws(MediaError) {
    try write(raw: packet.raw, toStream: index)
  }

  /// Writes a packet detached from the demux stage (see `write(_:toStream:)`); frees it.
  public func write(_ packet: consuming DetachedPacket, toStream index: Int) throws(MediaError) {
    try write(raw: packet.raw, toStream: index)
  }

  private func write(raw packet: UnsafeMutablePointer<AVPacket>, toStream index: Int) throws(MediaError) {
    precondition(started && !finished, "write() outside begin()…finish()")
    packet.pointee.stream_index = Int32(index)
    packet.pointee.pos = -1
    av_packet_rescale_ts(packet, sourceTimeBases[index].av, timeBases[index].av)
    try check(av_interleaved_write_frame(context, packet), .output, "write packet")
  }

  /// Writes the trailer and closes the file. The corresponding C function is `av_write_trailer`.
  public func finish() throws(MediaError) {
    precondition(started && !finished, "finish() without begin()")
    finished = true
    let trailer = av_write_trailer(context)
    let close = context.pointee.pb == nil ? 0 : avio_closep(&context.pointee.pb)
    try check(trailer, .output, "write trailer")
    try check(close, .output, "close output")
  }
}

@available(*, unavailable, message: "A muxer is confined to the mux stage")
extension Muxer: Sendable {}
