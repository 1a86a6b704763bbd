import CFFmpeg

/// A compressed packet taken out of a reused `Packet`, so it can travel from the demux stage to
/// the mux stage on another thread (audio copied with `--keep-audio`).
///
/// Ownership moves with the value: non-copyable, one owner at a time, freed in `deinit`.
public struct DetachedPacket: ~Copyable, @unchecked Sendable {
  // This is safe to send: the struct is non-copyable, so exactly one owner holds the AVPacket.
  let raw: UnsafeMutablePointer<AVPacket>

  init(taking packet: UnsafeMutablePointer<AVPacket>) { raw = packet }

  deinit {
    var packet: UnsafeMutablePointer<AVPacket>? = raw
    av_packet_free(&packet)
  }

  public var streamIndex: Int { Int(raw.pointee.stream_index) }
}

extension Packet {
  /// Moves the payload into a packet of its own and leaves this one empty for the next read.
  /// The corresponding C function is `av_packet_move_ref`.
  public func detach() -> DetachedPacket {
    guard let owned = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
    av_packet_move_ref(owned, raw)
    return DetachedPacket(taking: owned)
  }
}
