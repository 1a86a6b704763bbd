import CFFmpeg

/// One compressed packet, reused across reads: the owner of an `AVPacket`.
///
/// Not thread-safe; confined to the stage that reads or writes it.
public final class Packet {
  let raw: UnsafeMutablePointer<AVPacket>

  public init() {
    guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
    raw = packet
  }

  deinit {
    var packet: UnsafeMutablePointer<AVPacket>? = raw
    av_packet_free(&packet)
  }

  public var streamIndex: Int { Int(raw.pointee.stream_index) }
  public var size: Int { Int(raw.pointee.size) }
  public var isKeyframe: Bool { raw.pointee.flags & AV_PKT_FLAG_KEY != 0 }
  /// Presentation time in the stream's time base, falling back to the decode time; nil when the
  /// container gave neither.
  public var timestamp: Int64? {
    let pts = raw.pointee.pts != CFF_NOPTS_VALUE ? raw.pointee.pts : raw.pointee.dts
    return pts == CFF_NOPTS_VALUE ? nil : pts
  }

  /// The payload, valid only inside `body`. For subtitle and data packets (text tracks that
  /// carry telemetry); video payloads are compressed pictures and have no business being read.
  public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    try body(UnsafeRawBufferPointer(start: raw.pointee.data, count: Int(raw.pointee.size)))
  }

  /// Drops the payload so the packet can be reused. The corresponding C function is `av_packet_unref`.
  public func unref() { av_packet_unref(raw) }
}

@available(*, unavailable, message: "A packet belongs to one stage; it is not thread-safe")
extension Packet: Sendable {}
