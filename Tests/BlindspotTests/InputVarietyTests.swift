import Blindspot
import BlindspotTestSupport
import Foundation
import Testing

/// Inputs as cameras and archives deliver them: other codecs and containers, portrait and odd
/// sizes, rotation, variable frame rate, streams that start mid-GOP, standard input, folders.
@Suite(.timeLimit(.minutes(10))) struct InputVarietyTests {
  let scratch: URL
  let photo: URL

  init() throws {
    scratch = try Fixtures.scratchDirectory("inputs")
    photo = try Fixtures.asset("dlib-faces/2008_002506.jpg")
  }

  /// A short clip of the photo panning, encoded as asked.
  private func clip(_ name: String, size: String = "320x240", frames: Int = 10, rate: Int = 10, _ encoding: [String]) throws -> URL {
    let url = scratch.appendingPathComponent(name)
    let (width, height) = { let p = size.split(separator: "x").map { Int($0)! }; return (p[0], p[1]) }()
    try Subprocess.ffmpeg(["-loop", "1", "-framerate", "\(rate)", "-i", photo.path,
                           "-vf", "scale=\(width * 2):\(height),crop=\(width):\(height):t*20:0,format=yuv420p",
                           "-frames:v", "\(frames)"] + encoding + [url.path])
    return url
  }

  private func expectSameTiming(_ input: URL, _ output: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = try Probe.framePresentationTimes(input), actual = try Probe.framePresentationTimes(output)
    #expect(!expected.isEmpty && actual == expected, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
  }

  @Test(arguments: [
    ("h264.mp4", ["-c:v", "libx264", "-preset", "ultrafast"]),
    ("hevc.mkv", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"]),
    ("mpeg2.ts", ["-c:v", "mpeg2video"]),
    ("mjpeg.avi", ["-c:v", "mjpeg", "-pix_fmt", "yuvj422p"]),
    ("ten-bit.mkv", ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"]),
  ])
  func codecsAndContainersKeepEveryFrame(name: String, encoding: [String]) throws {
    let input = try clip(name, encoding)
    let output = scratch.appendingPathComponent("out-" + name)
    let sidecar = try anonymize(input, to: output)
    #expect(sidecar.counts.frames == 10)
    try expectSameTiming(input, output)
  }

  /// Widths that are not multiples of 16 reach the detectors at native size, where swscale's SIMD
  /// converters write past the end of each row: this once corrupted the heap. Run in a separate
  /// process, so a crash is a failed expectation rather than a dead test runner.
  @Test(arguments: ["548x342", "270x480", "1000x562"])
  func oddWidthsAreProcessedWithoutMemoryErrors(size: String) throws {
    let input = try clip("odd-\(size).mkv", size: size, frames: 6, ["-c:v", "libx264", "-preset", "ultrafast"])
    let output = scratch.appendingPathComponent("odd-out-\(size).mkv")
    for _ in 0..<3 {
      let result = try blindspot([input.path, "-o", output.path, "--quiet"])
      #expect(result.status == 0, "exit \(result.status): \(result.standardError.prefix(200))")
    }
  }

  @Test func portraitAndOddSizesAndRotationSurvive() throws {
    let portrait = try clip("portrait.mp4", size: "270x480", ["-c:v", "libx264", "-preset", "ultrafast"])
    let rotated = scratch.appendingPathComponent("rotated.mp4")
    // A phone-style file: pixels stored landscape, a display matrix saying "turn 90°".
    try Subprocess.ffmpeg(["-i", portrait.path, "-c", "copy", "-metadata:s:v", "rotate=90", rotated.path])
    let rotation = try Probe.rotation(rotated)
    #expect(abs(rotation) == 90)
    let output = scratch.appendingPathComponent("out.mp4")
    _ = try anonymize(rotated, to: output)
    #expect(try Probe.rotation(output) == rotation)
    let video = try #require(try Probe(output).videoStreams.first)
    #expect(video["width"] as? Int == 270 && video["height"] as? Int == 480)  // 270 is not a multiple of 16
    try expectSameTiming(rotated, output)
  }

  @Test func variableFrameRateTimestampsAreKept() throws {
    // Drop frames irregularly: what a camera does when it cannot keep up.
    let input = scratch.appendingPathComponent("vfr.mkv")
    try Subprocess.ffmpeg(["-loop", "1", "-framerate", "30", "-i", photo.path, "-vf",
                           "scale=320:240,select='not(eq(mod(n\\,7)\\,3))*not(eq(mod(n\\,5)\\,1))',format=yuv420p",
                           "-fps_mode", "vfr", "-frames:v", "20", "-c:v", "libx264", "-preset", "ultrafast", input.path])
    let output = scratch.appendingPathComponent("vfr-out.mkv")
    _ = try anonymize(input, to: output)
    let times = try Probe.framePresentationTimes(output)
    let gaps = Set(zip(times.dropFirst(), times).map { (($0 - $1) * 1000).rounded() })
    #expect(gaps.count > 1, "the fixture must really have a variable frame rate")
    try expectSameTiming(input, output)
  }

  @Test func aStreamThatStartsMidGOPDecodesFromItsFirstKeyframe() throws {
    let whole = try clip("whole.ts", frames: 30, ["-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-bf", "0"])
    // Cut the transport stream at a 188-byte packet boundary a third of the way in.
    let bytes = try Data(contentsOf: whole)
    let cut = (bytes.count / 3) / 188 * 188
    let input = scratch.appendingPathComponent("cut.ts")
    try bytes.suffix(from: cut).write(to: input)
    let output = scratch.appendingPathComponent("cut-out.mp4")
    let sidecar = try anonymize(input, to: output)
    #expect(sidecar.counts.frames > 0 && sidecar.counts.frames < 30)
    #expect(try Probe.framePresentationTimes(output).count == sidecar.counts.frames)
  }

  @Test func standardInputIsAnInput() throws {
    let input = try clip("pipe.ts", ["-c:v", "libx264", "-preset", "ultrafast"])
    let output = scratch.appendingPathComponent("pipe-out.mp4")
    let result = try blindspot(["-", "-o", output.path, "--input-format", "mpegts", "--quiet"], input: Data(contentsOf: input))
    #expect(result.status == 0, "\(result.standardError)")
    #expect(try Probe.framePresentationTimes(output).count == 10)
    let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
    #expect(sidecar.input.name == "-" && sidecar.input.sha256 == nil)
  }

  @Test func aFolderIsProcessedWithItsLayoutKept() throws {
    let event = scratch.appendingPathComponent("TeslaCam/SavedClips/2026-11-02_08-14-03")
    try FileManager.default.createDirectory(at: event, withIntermediateDirectories: true)
    for camera in ["front", "back"] {
      let made = try clip("\(camera).mp4", frames: 4, ["-c:v", "libx264", "-preset", "ultrafast"])
      try FileManager.default.moveItem(at: made, to: event.appendingPathComponent("2026-11-02_08-14-03-\(camera).mp4"))
    }
    try Data("{}".utf8).write(to: event.appendingPathComponent("event.json"))
    let out = scratch.appendingPathComponent("anon")
    let result = try blindspot([scratch.appendingPathComponent("TeslaCam").path, "-o", out.path, "--quiet"])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(filesUnder(out) == [
      "SavedClips/2026-11-02_08-14-03/2026-11-02_08-14-03-back.mp4",
      "SavedClips/2026-11-02_08-14-03/2026-11-02_08-14-03-back.mp4.anon.json",
      "SavedClips/2026-11-02_08-14-03/2026-11-02_08-14-03-front.mp4",
      "SavedClips/2026-11-02_08-14-03/2026-11-02_08-14-03-front.mp4.anon.json",
    ])
  }
}
