import Blindspot
import BlindspotTestSupport
import Foundation
import Testing

/// The command line as scripts use it: help, progress lines, argument checks.
@Suite(.timeLimit(.minutes(5))) struct CommandLineTests {
  @Test func helpListsTheCommandAndItsMainOptions() throws {
    let root = try blindspot(["--help"])
    #expect(root.status == 0)
    #expect(root.output.contains("anonymize"))
    let text = root.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains("Exit codes: 0 ok, 1 usage or configuration, 2 bad input, 3 policy violation, 4 retryable I/O."))
    let anonymize = try blindspot(["anonymize", "--help"])
    for option in ["--output", "--codec", "--crf", "--preset", "--bitrate", "--style", "--margin", "--classes", "--keep-audio",
                   "--detections", "--on-detector-error", "--format", "--quiet", "--progress"] {
      #expect(anonymize.output.contains(option), "\(option) missing from anonymize --help")
    }
  }

  @Test func versionIsTheLibrarysVersion() throws {
    #expect(try blindspot(["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines) == BlindspotVersion.current)
  }

  @Test(arguments: [["--style", "smudge"], ["--classes", "face,cat"], ["--detect-every", "0"], ["--margin", "5"],
                    ["--bitrate", "fast"], ["--plate-enlarge-to", "32"], ["--plate-enlarge", "0.5"], ["--tiles", "5"],
                    ["--hysteresis", "0"], ["--plate-margin", "3"], ["--face-threshold", "1.5"], ["--keep-alive", "11"],
                    ["--plate-weak-confirmations", "11"], ["--face-weak-confirmations", "20"]])
  func badOptionValuesAreUsageErrors(arguments: [String]) throws {
    let result = try blindspot(["in.mp4", "-o", "out.mp4"] + arguments)
    #expect(result.status == 1, "exit \(result.status)")
    #expect(!result.standardError.isEmpty)
  }

  @Test func jsonProgressIsOneObjectPerLine() throws {
    let scratch = try Fixtures.scratchDirectory("cli")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let clip = try Clips.faceAndPlate(in: scratch, frames: 6)
    let result = try blindspot([clip.url.path, "-o", scratch.appendingPathComponent("out.mp4").path, "--progress", "json"])
    #expect(result.status == 0, "\(result.standardError)")
    let events = try result.output.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(events.first?["event"] as? String == "start")
    #expect(events.last?["event"] as? String == "done")
    #expect(events.last?["frames"] as? Int == 6)
  }
}
