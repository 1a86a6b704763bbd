@testable import BlindspotMedia
import BlindspotTestSupport
import Foundation
import Testing

/// FFmpeg stays quiet for a program that embeds Blindspot without choosing a log level: its
/// messages can quote container tags, and x264 prints statistics for every encode.
@Suite(.serialized) struct MediaLogTests {
  @Test func openingMediaSilencesFFmpegUnlessALevelWasChosen() throws {
    let scratch = try Fixtures.scratchDirectory("media-log")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let clip = try Clips.faceAndPlate(in: scratch, frames: 2)
    defer { MediaLog.setLevel(.quiet) }

    MediaLog.forgetChoice(leaving: .info)  // FFmpeg's own default
    _ = try Demuxer(url: clip.url.path)
    #expect(MediaLog.level == MediaLog.Level.quiet.rawValue)

    MediaLog.setLevel(.warning)
    _ = try Demuxer(url: clip.url.path)
    #expect(MediaLog.level == MediaLog.Level.warning.rawValue, "a chosen level is kept")
  }
}
