import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// Invariant 1: a whole anonymization writes nothing but its output and sidecar — no temporary
/// frames, no debug images — in its working directory, its output directory or its TMPDIR.
@Suite(.timeLimit(.minutes(5))) struct RawFramesStayInMemoryTests {
  @Test func theOnlyFilesWrittenAreTheOutputAndItsSidecar() throws {
    let inputs = try Fixtures.scratchDirectory("raw-input")
    let work = try Fixtures.scratchDirectory("raw-work")
    defer {
      try? FileManager.default.removeItem(at: inputs)
      try? FileManager.default.removeItem(at: work)
    }
    let clip = try Clips.faceAndPlate(in: inputs, frames: 6)
    let temporary = work.appendingPathComponent("tmp"), outputs = work.appendingPathComponent("out")
    for directory in [temporary, outputs] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
    var environment = Fixtures.environment
    environment["TMPDIR"] = temporary.path
    environment["HOME"] = work.path  // nothing may land in a cache or config directory either
    environment["BLINDSPOT_MODELS"] = try ModelCatalog().directory.path

    let result = try blindspot([clip.url.path, "-o", outputs.appendingPathComponent("clip.mp4").path, "--quiet"],
                               directory: work, environment: environment)
    #expect(result.status == 0, "\(result.standardError)")
    #expect(filesUnder(work) == ["out/clip.mp4", "out/clip.mp4.anon.json"])
    #expect(filesUnder(inputs) == ["face-and-plate.mp4"])
    #expect(result.output.isEmpty)
  }
}
