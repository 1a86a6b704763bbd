import BlindspotMedia
import Foundation

/// The encode stage: encodes redacted frames (libx264 and the like, with their own threads) and
/// muxes the packets, with the copied audio, into the temporary output; writes the trailer when
/// the input ends.
///
/// Runs on its own thread; owns the encoder and the muxer (C handles confined to this stage).
/// It never commits the output: the run does that after every stage succeeded.
final class StageEncode {
  /// What this stage takes from the look-ahead stage.
  enum Item: ~Copyable, Sendable {
    case frame(RedactedFrame)
    /// A packet to copy unchanged into output stream `stream`.
    case packet(DetachedPacket, stream: Int)
  }

  private let encoder: VideoEncoder
  private let muxer: Muxer
  private let videoOutput: Int
  private let progress: any ProgressReporter
  private let started: Date
  let timer = StageTimer()
  private(set) var encodedFrames = 0

  init(encoder: VideoEncoder, muxer: Muxer, videoOutput: Int, progress: any ProgressReporter, started: Date) {
    self.encoder = encoder
    self.muxer = muxer
    self.videoOutput = videoOutput
    self.progress = progress
    self.started = started
  }

  /// Encodes everything `input` delivers; after its last item, flushes the encoder and writes
  /// the trailer. Blocks while `input` is empty.
  func run(from input: BoundedQueue<Item>) throws {
    let encoded = Packet()
    while let item = try input.pop() {
      switch consume item {
      case .frame(let frame):
        let sending = StageTimer.now()
        try encoder.send(frame)
        timer.stop("encode", startedAt: sending)
        try drainEncoder(into: encoded)
        encodedFrames += 1
        progress.advanced(frames: encodedFrames, elapsed: Date().timeIntervalSince(started))
      case .packet(let packet, let stream):
        let muxing = StageTimer.now()
        try muxer.write(packet, toStream: stream)
        timer.stop("mux", startedAt: muxing)
      }
    }
    // Flush in order: encoder (B-frames, look-ahead), then the trailer.
    try encoder.sendEndOfStream()
    try drainEncoder(into: encoded)
    try muxer.finish()
  }

  private func drainEncoder(into encoded: Packet) throws {
    while try timer.measure("encode", { try encoder.receive(into: encoded) }) == .packet {
      try timer.measure("mux") { try muxer.write(encoded, toStream: videoOutput) }
    }
  }
}
