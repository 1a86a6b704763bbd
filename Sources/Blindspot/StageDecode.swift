import BlindspotMedia
import Foundation

/// The decode stage: demuxes the input, decodes the video stream (FFmpeg frame threads), reads
/// embedded telemetry off each frame, converts the pixel format when the encoder needs another,
/// and hands frames on. Audio packets kept with `--keep-audio` travel along, detached; NMEA
/// subtitle packets go to the sensor stage here.
///
/// Runs on its own thread; owns the demuxer, the decoder and the converter (C handles confined
/// to this stage), and the embedded-telemetry reader until the run joins it.
final class StageDecode {
  /// What this stage hands to the look-ahead stage.
  enum Item: ~Copyable, Sendable {
    case frame(DecodedFrame)
    /// A packet to copy unchanged into output stream `stream`.
    case packet(DetachedPacket, stream: Int)
  }

  private let subject: String
  private let demuxer: Demuxer
  private let decoder: VideoDecoder
  private let video: StreamInfo
  private let converter: FormatConverter
  private let embedded: StageEmbeddedSensor
  /// Input stream index → output stream index, for streams copied as they are.
  private let copiedStreams: [Int: Int]
  private let sensorTextStreams: Set<Int>
  let timer = StageTimer()
  private(set) var copiedPackets = 0

  init(subject: String, demuxer: Demuxer, decoder: VideoDecoder, video: StreamInfo, converter: FormatConverter,
       embedded: StageEmbeddedSensor, copiedStreams: [Int: Int], sensorTextStreams: Set<Int>) {
    self.subject = subject
    self.demuxer = demuxer
    self.decoder = decoder
    self.video = video
    self.converter = converter
    self.embedded = embedded
    self.copiedStreams = copiedStreams
    self.sensorTextStreams = sensorTextStreams
  }

  /// Reads the whole input into `output`, then finishes it. Blocks while `output` is full.
  func run(into output: BoundedQueue<Item>) throws {
    let packet = Packet()
    while try demuxer.read(into: packet) == .packet {
      if packet.streamIndex == video.index {
        _ = try timer.measure("decode") { try decoder.send(packet) }  // corrupt packets are concealed, not fatal
        try drainDecoder(into: output)
      } else if let stream = copiedStreams[packet.streamIndex] {
        try output.push(.packet(packet.detach(), stream: stream))
        copiedPackets += 1
      } else if sensorTextStreams.contains(packet.streamIndex) {
        packet.withBytes { embedded.addSubtitle($0) }
      }
    }
    // Flush: the decoder releases the frames it holds back.
    try decoder.sendEndOfStream()
    try drainDecoder(into: output)
    output.finish()
  }

  private func drainDecoder(into output: BoundedQueue<Item>) throws {
    while true {
      let started = StageTimer.now()
      guard let frame = try decoder.receive() else { break }
      timer.stop("decode", startedAt: started)
      guard frame.width == video.width, frame.height == video.height else {
        throw BlindspotError(.badInput, subject: subject,
                             reason: "the frame size changes mid-stream (\(video.width)×\(video.height) → \(frame.width)×\(frame.height)); not supported")
      }
      try timer.measure("sensor") { try embedded.add(frame.unregisteredUserData, time: Double(frame.pts) * video.timeBase.doubleValue) }
      let converting = StageTimer.now()
      let converted = try converter.convert(frame)
      timer.stop("convert", startedAt: converting)
      try output.push(.frame(converted))
    }
  }
}
