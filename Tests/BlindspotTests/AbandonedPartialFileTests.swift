import Blindspot
import BlindspotTestSupport
import Foundation
import Testing

/// A killed run cannot remove its hidden partial output; the next run to the same output does
/// (invariant 5: the output is whole or absent, and nothing half-written piles up beside it).
@Suite(.timeLimit(.minutes(5))) struct AbandonedPartialFileTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("abandoned") }

  private func partialFiles(of name: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".\(name).partial-") }.sorted()
  }

  @Test func aRerunRemovesThePartialOutputOfAKilledRun() throws {
    defer { try? FileManager.default.removeItem(at: scratch) }
    let clip = try Clips.faceAndPlate(in: scratch, frames: 240)  // 20 s: long enough to be killed mid-run
    let output = scratch.appendingPathComponent("out.mp4")

    // Given a run killed (SIGKILL: no cleanup) while its output is half written
    let killed = Process()
    killed.executableURL = Fixtures.cliBinary
    killed.arguments = ["anonymize", clip.url.path, "-o", output.path, "--preset", "ultrafast"]
    killed.standardOutput = FileHandle.nullDevice
    killed.standardError = FileHandle.nullDevice
    try killed.run()
    let deadline = Date().addingTimeInterval(60)
    while try partialFiles(of: "out.mp4").isEmpty, killed.isRunning, Date() < deadline { usleep(20_000) }
    kill(killed.processIdentifier, SIGKILL)
    killed.waitUntilExit()
    let left = try partialFiles(of: "out.mp4")
    try #require(left.count == 1, "the killed run left its partial output")
    #expect(!FileManager.default.fileExists(atPath: output.path))

    // and the partial files of other writers: a live one, another host's, and another output's
    let host = try #require(left.first).split(separator: "-")[2]  // .out.mp4.partial-PID-HOST-TOKEN
    let live = ".out.mp4.partial-\(getppid())-\(host)-live"
    let otherHost = ".out.mp4.partial-\(killed.processIdentifier)-elsewhere-remote"
    let otherOutput = ".other.mp4.partial-\(killed.processIdentifier)-\(host)-other"
    for name in [live, otherHost, otherOutput] {
      try Data("half".utf8).write(to: scratch.appendingPathComponent(name))
    }
    // and two no writer has touched for two days: another host's, and one of an older name form
    let staleOtherHost = ".out.mp4.partial-\(killed.processIdentifier)-elsewhere-stale"
    let staleOldForm = ".out.mp4.partial-oldtoken"
    for name in [staleOtherHost, staleOldForm] {
      let url = scratch.appendingPathComponent(name)
      try Data("half".utf8).write(to: url)
      try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86_400)], ofItemAtPath: url.path)
    }

    // When the same output is written again
    var options = AnonymizeOptions()
    options.classes = [.face]
    _ = try anonymize(clip.url, to: output, options: options)

    // Then the killed run's and the stale partial files are gone, and only the others' are left
    #expect(FileManager.default.fileExists(atPath: output.path))
    #expect(try partialFiles(of: "out.mp4") == [live, otherHost].sorted())
    #expect(try partialFiles(of: "other.mp4") == [otherOutput])
  }
}
