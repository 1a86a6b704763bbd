@testable import BlindspotMedia
import BlindspotTestSupport
import Foundation
import Testing

/// Invariant: nothing the camera embedded in a frame (SEI user data such as GPS, closed captions,
/// metadata) reaches the encoder, whichever of the two ways a frame takes to it.
@Suite(.timeLimit(.minutes(2))) struct SideDataStrippingTests {
  /// A stand-in for a position a camera embeds (no spaces, colons or commas: it passes through an
  /// FFmpeg filter option).
  static let marker = "blindspot-test-position-48.137154-11.576124"

  /// A clip whose first frame carries an SEI "user data unregistered" message with `marker`.
  static func clipWithUserData() throws -> URL {
    let url = try Fixtures.scratchDirectory("side-data").appendingPathComponent("sei.mp4")
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-frames:v", "5", "-c:v", "libx264",
                           "-preset", "ultrafast", "-bf", "0",
                           "-bsf:v", "h264_metadata=sei_user_data=086f3693-b7b3-4f2c-9653-21492feee5b8+\(marker)", url.path])
    return url
  }

  /// Decodes the clip's first frame and hands it to `redact`; returns how much side data and
  /// metadata the frame carried before and after.
  func firstFrame(of clip: URL, _ redact: (consuming DecodedFrame) throws -> RedactedFrame)
    throws -> (userDataBefore: [[UInt8]], sideDataAfter: Int32, metadataAfter: Bool) {
    let demuxer = try Demuxer(url: clip.path)
    let decoder = try VideoDecoder(demuxer: demuxer, stream: try demuxer.bestVideoStream())
    let packet = Packet()
    while try demuxer.read(into: packet) == .packet {
      _ = try decoder.send(packet)
      if let frame = try decoder.receive() {
        let userData = frame.unregisteredUserData
        let redacted = try redact(frame)
        return (userData, redacted.raw.pointee.nb_side_data, redacted.raw.pointee.metadata != nil)
      }
    }
    throw FixtureError("the clip decoded to no frame")
  }

  @Test func aFrameWithEditsLeavesItsUserDataBehind() throws {
    let result = try firstFrame(of: try Self.clipWithUserData()) { frame in try frame.redacted { _ in } }
    #expect(result.userDataBefore.contains { $0.dropFirst(16).starts(with: Self.marker.utf8) })
    #expect(result.sideDataAfter == 0)
    #expect(!result.metadataAfter)
  }

  @Test func aFrameWithoutEditsLeavesItsUserDataBehind() throws {
    let result = try firstFrame(of: try Self.clipWithUserData()) { frame in frame.redactedWithoutEdits() }
    #expect(result.userDataBefore.contains { $0.dropFirst(16).starts(with: Self.marker.utf8) })
    #expect(result.sideDataAfter == 0)
    #expect(!result.metadataAfter)
  }
}
