import CFFmpeg

/// An opened input: the owner of an `AVFormatContext`.
///
/// Not thread-safe; one stage owns it and reads packets in order.
public final class Demuxer {
  let context: UnsafeMutablePointer<AVFormatContext>
  public let url: String
  public let streams: [StreamInfo]

  /// Opens `url` (a path, `pipe:0` for standard input, or anything FFmpeg's protocols open) and
  /// reads enough to know its streams.
  /// The corresponding C functions are `avformat_open_input` and `avformat_find_stream_info`.
  public init(url: String, format: String? = nil) throws(MediaError) {
    MediaLog.applyDefault()
    var context: UnsafeMutablePointer<AVFormatContext>? = nil
    let inputFormat = format.flatMap { av_find_input_format($0) }
    if let format, inputFormat == nil {
      throw MediaError(.configuration, operation: "open input", message: "unknown input format '\(format)'")
    }
    try check(avformat_open_input(&context, url, inputFormat, nil), .badInput, "open input")
    guard let context else { throw MediaError(.badInput, operation: "open input", message: "no context") }
    let status = avformat_find_stream_info(context, nil)
    if status < 0 {
      var owned: UnsafeMutablePointer<AVFormatContext>? = context
      avformat_close_input(&owned)
      throw MediaError(.badInput, code: status, operation: "read stream info")
    }
    self.context = context
    self.url = url
    self.streams = (0..<Int(context.pointee.nb_streams)).map { index in
      StreamInfo(cff_format_stream(context, UInt32(index))!)
    }
  }

  deinit {
    var owned: UnsafeMutablePointer<AVFormatContext>? = context
    avformat_close_input(&owned)
  }

  /// The stream FFmpeg considers the main video stream (attached cover pictures excluded).
  /// The corresponding C function is `av_find_best_stream`.
  public func bestVideoStream() throws(MediaError) -> StreamInfo {
    let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
    if index == CFF_DECODER_NOT_FOUND {
      throw MediaError(.unsupported, code: index, operation: "find video stream",
                       message: "no decoder in this FFmpeg build for the video stream")
    }
    guard index >= 0, let stream = cff_format_stream(context, UInt32(index)),
          stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
    else {
      throw MediaError(.badInput, code: index, operation: "find video stream", message: "the input has no video stream")
    }
    return streams[Int(index)]
  }

  public enum ReadResult { case packet, endOfFile }

  /// Reads the next packet of any stream into `packet` (unreferenced first).
  /// The corresponding C function is `av_read_frame`.
  public func read(into packet: Packet) throws(MediaError) -> ReadResult {
    packet.unref()
    let status = av_read_frame(context, packet.raw)
    if status == CFF_EOF { return .endOfFile }
    try check(status, .badInput, "read packet")
    return .packet
  }

  /// The codec parameters of stream `index`; valid while the demuxer lives.
  func parameters(ofStream index: Int) -> UnsafeMutablePointer<AVCodecParameters> {
    cff_format_stream(context, UInt32(index))!.pointee.codecpar
  }
}

@available(*, unavailable, message: "A demuxer is confined to the stage that reads it")
extension Demuxer: Sendable {}
