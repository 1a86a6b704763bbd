import BlindspotTestSupport
import Foundation
import Testing

/// Bad input from the command line: one line naming the file and the reason, exit 2, and nothing
/// left behind under the output name (or any other name).
@Suite(.timeLimit(.minutes(5))) struct BadInputTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("bad-input") }

  private func expectRejected(_ input: String, output: String? = nil, reason: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
    let target = output ?? scratch.appendingPathComponent("out.mp4").path
    let before = filesUnder(scratch)
    let result = try blindspot([input, "-o", target, "--quiet"])
    #expect(result.status == 2, "exit \(result.status): \(result.standardError)", sourceLocation: sourceLocation)
    let lines = result.standardError.split(separator: "\n")
    #expect(lines.count == 1, "\(result.standardError)", sourceLocation: sourceLocation)
    #expect(result.standardError.contains(reason), "\(result.standardError)", sourceLocation: sourceLocation)
    #expect(result.standardError.contains(input) || result.standardError.contains(target), sourceLocation: sourceLocation)
    #expect(filesUnder(scratch) == before, "files were left behind", sourceLocation: sourceLocation)
  }

  private func write(_ name: String, _ data: Data) throws -> String {
    let url = scratch.appendingPathComponent(name)
    try data.write(to: url)
    return url.path
  }

  @Test func missingFile() throws {
    try expectRejected(scratch.appendingPathComponent("nowhere.mp4").path, reason: "no such file")
  }

  @Test func emptyFile() throws {
    try expectRejected(write("empty.mp4", Data()), reason: "empty")
  }

  @Test func garbageBytes() throws {
    var generator = SystemRandomNumberGenerator()
    let noise = Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) })
    try expectRejected(write("noise.mp4", noise), reason: "open input")
  }

  @Test func truncatedMP4WithoutItsIndex() throws {
    // An MP4 written without faststart keeps its index (moov) at the end; cut the end off.
    let clip = try Clips.faceAndPlate(in: scratch, frames: 6)
    let bytes = try Data(contentsOf: clip.url)
    let moov = try #require(bytes.range(of: Data("moov".utf8), options: .backwards))
    try FileManager.default.removeItem(at: clip.url)
    try expectRejected(write("truncated.mp4", bytes.prefix(moov.lowerBound - 4)), reason: "open input")
  }

  @Test func audioOnlyFile() throws {
    let audio = scratch.appendingPathComponent("tone.m4a")
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac", audio.path])
    try expectRejected(audio.path, reason: "no video stream")
  }

  @Test func videoStreamThisFFmpegCannotDecode() throws {
    // An AVI whose video stream carries a FourCC no decoder claims: write MPEG-4 Part 2 and
    // rename its FourCC (stream header and bitmap header) to one nobody knows.
    let made = scratch.appendingPathComponent("made.avi")
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-t", "1", "-c:v", "mpeg4", made.path])
    var bytes = try Data(contentsOf: made)
    try FileManager.default.removeItem(at: made)
    while let range = bytes.range(of: Data("FMP4".utf8)) { bytes.replaceSubrange(range, with: Data("QQQQ".utf8)) }
    try expectRejected(write("unknown.avi", bytes), reason: "no decoder")
  }

  @Test func outputInAMissingDirectory() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 4)
    try expectRejected(clip.url.path, output: scratch.appendingPathComponent("missing/out.mp4").path, reason: "does not exist")
  }

  @Test func outputInAReadOnlyDirectory() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 4)
    // Permission bits do not bind root; sysfs refuses new files to everyone.
    let readOnly: String
    if geteuid() == 0 {
      readOnly = "/sys/kernel"
    } else {
      let directory = scratch.appendingPathComponent("read-only")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
      readOnly = directory.path
    }
    try expectRejected(clip.url.path, output: readOnly + "/out.mp4", reason: "not writable")
  }

  @Test func outputEqualToInput() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 4)
    let before = try Data(contentsOf: clip.url)
    try expectRejected(clip.url.path, output: clip.url.path, reason: "output is the input")
    #expect(try Data(contentsOf: clip.url) == before)
  }

  @Test func unknownEncoderIsAUsageError() throws {
    let clip = try Clips.faceAndPlate(in: scratch, frames: 4)
    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([clip.url.path, "-o", output.path, "--codec", "no_such_encoder", "--quiet"])
    #expect(result.status == 1)
    #expect(result.standardError.contains("no_such_encoder"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
}
