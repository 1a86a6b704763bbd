import BlindspotMedia
import BlindspotTestSupport
import Foundation
import Testing

/// The wrappers against FFmpeg itself: what they decode and write must agree with ffprobe.
@Suite(.timeLimit(.minutes(5))) struct MediaRoundTripTests {
  let scratch: URL
  let clip: Clips.FaceAndPlate

  init() throws {
    scratch = try Fixtures.scratchDirectory("media")
    clip = try Clips.faceAndPlate(in: scratch, frames: 9)
  }

  @Test func demuxerDescribesTheStreams() throws {
    let demuxer = try Demuxer(url: clip.url.path)
    let video = try demuxer.bestVideoStream()
    #expect(video.kind == .video && video.codecName == "h264")
    #expect(video.width == clip.width && video.height == clip.height)
    #expect(video.frameRate == Rational(12, 1))
    #expect(demuxer.streams.map(\.kind) == [.video, .audio])
  }

  @Test func decodeEncodeMuxKeepsEveryFrameWithoutRedaction() throws {
    let demuxer = try Demuxer(url: clip.url.path)
    let video = try demuxer.bestVideoStream()
    let decoder = try VideoDecoder(demuxer: demuxer, stream: video)
    let output = scratch.appendingPathComponent("copy.mkv")
    let muxer = try Muxer(path: output.path, format: nil)
    let encoder = try VideoEncoder(settings: EncoderSettings(preset: "ultrafast"), decoder: decoder, globalHeader: muxer.needsGlobalHeader)
    let index = try muxer.addVideoStream(encoder: encoder, source: video)
    try muxer.begin()
    let packet = Packet(), encoded = Packet()
    var frames = 0
    func drain() throws {
      while let frame = try decoder.receive() {
        try encoder.send(try frame.redacted { _ in })  // the identity edit
        frames += 1
        while try encoder.receive(into: encoded) == .packet { try muxer.write(encoded, toStream: index) }
      }
    }
    while try demuxer.read(into: packet) == .packet {
      guard packet.streamIndex == video.index else { continue }
      _ = try decoder.send(packet)
      try drain()
    }
    try decoder.sendEndOfStream()
    try drain()
    try encoder.sendEndOfStream()
    while try encoder.receive(into: encoded) == .packet { try muxer.write(encoded, toStream: index) }
    try muxer.finish()
    #expect(frames == clip.frames)
    #expect(try Probe.framePresentationTimes(output).count == clip.frames)
  }

  @Test func garbageIsBadInput() throws {
    let garbage = scratch.appendingPathComponent("garbage.mp4")
    try Data(repeating: 0x5A, count: 4096).write(to: garbage)
    #expect { try Demuxer(url: garbage.path) } throws: { ($0 as? MediaError)?.kind == .badInput }
  }

  @Test func anOptionTheEncoderDoesNotHaveIsAConfigurationError() throws {
    let demuxer = try Demuxer(url: clip.url.path)
    let decoder = try VideoDecoder(demuxer: demuxer, stream: try demuxer.bestVideoStream())
    let settings = EncoderSettings(options: ["no-such-option": "1"])
    #expect { try VideoEncoder(settings: settings, decoder: decoder, globalHeader: false) } throws: { error in
      guard let error = error as? MediaError else { return false }
      return error.kind == .configuration && error.message.contains("no-such-option")
    }
  }

  @Test func unknownOutputContainerIsAConfigurationError() throws {
    #expect { try Muxer(path: scratch.appendingPathComponent("x.unknownext").path, format: nil) } throws: {
      ($0 as? MediaError)?.kind == .configuration
    }
  }
}
