import BlindspotFiles
import BlindspotSensor
import BlindspotTestSupport
import Foundation
import Testing

/// `blindspot sensor` as scripts use it: files in and out, exit codes, one-line errors.
@Suite(.timeLimit(.minutes(2))) struct SensorCommandTests {
  let dir: URL
  let policy: URL
  let environment: [String: String]

  init() throws {
    dir = try Trace.scratch("cli")
    policy = dir.appendingPathComponent("policy.yaml")
    try Data("""
      region: eu
      keys:
        eu: {env: BLINDSPOT_SENSOR_KEY_EU}
      privacy_zones:
        zones:
          - name: home
            circle: {lat: \(Trace.home.latitude), lon: \(Trace.home.longitude), radius_m: 300}
      coarsen: {grid_m: 25}
      output: {extras: [vin]}
      """.utf8).write(to: policy)
    var env = ProcessInfo.processInfo.environment
    env["BLINDSPOT_SENSOR_KEY_EU"] = "eu-key-0123456789abcdef"
    environment = env
  }

  func blindspot(_ arguments: [String]) throws -> ProcessResult {
    try Subprocess.run(Fixtures.cliBinary.path, arguments, environment: environment)
  }

  func write(_ samples: [SensorSample], _ name: String, as format: SensorFormat) throws -> URL {
    let url = dir.appendingPathComponent(name)
    try Data(try Trace.write(samples, as: format).utf8).write(to: url)
    return url
  }

  @Test func anonymizesNMEAIntoGPXWithAReport() throws {
    // Given a drive from home and back, as NMEA
    let drive = Trace.roundTrip()
    let input = try write(drive, "drive.nmea", as: .nmea)
    let output = dir.appendingPathComponent("drive.gpx")
    // When run through the command
    let result = try blindspot(["sensor", input.path, "-o", output.path, "--policy", policy.path])
    // Then it succeeds, writes GPX and a report, and nothing inside the zone
    #expect(result.status == 0, "\(result.standardError)")
    let (samples, _) = try Trace.read(try String(contentsOf: output, encoding: .utf8), as: .gpx)
    #expect(!samples.isEmpty && samples.count < drive.count)
    #expect(samples.allSatisfy { Geodesy.distance($0.coordinate!, Trace.home) > 300 })
    let report = try SensorReport.decode(Data(contentsOf: SensorFile.reportURL(for: output)))
    #expect(report.samplesIn == drive.count && report.samplesOut == samples.count)
    // And standard error tells counts, never a coordinate
    #expect(result.standardError.contains("samples"))
    #expect(!result.standardError.contains("48.1") && !result.standardError.contains("4808"))
  }

  @Test func corruptInputExitsTwoNamingFileAndLine() throws {
    let input = dir.appendingPathComponent("broken.gpx")
    try Data("<gpx version=\"1.1\"><trk><trkseg>\n<trkpt lat=\"48.137\" lon=\"911.5\"><time>2026-03-01T08:00:00Z</time></trkpt>\n</trkseg></trk></gpx>".utf8).write(to: input)
    let output = dir.appendingPathComponent("out.jsonl")
    let result = try blindspot(["sensor", input.path, "-o", output.path, "--policy", policy.path])
    #expect(result.status == 2)
    #expect(result.standardError.contains("broken.gpx:2:"), "\(result.standardError)")
    #expect(result.standardError.split(separator: "\n").count == 1)
    #expect(!result.standardError.contains("48.137") && !result.standardError.contains("911.5"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func badPolicyOrMissingKeyExitsOne() throws {
    let input = try write(Array(Trace.roundTrip().prefix(10)), "d.csv", as: .csv)
    let out = dir.appendingPathComponent("o.csv").path
    let bad = dir.appendingPathComponent("bad.yaml")
    try Data("truncate:\n  meters: 100\n".utf8).write(to: bad)
    let unknownKey = try blindspot(["sensor", input.path, "-o", out, "--policy", bad.path])
    #expect(unknownKey.status == 1)
    #expect(unknownKey.standardError.contains("bad.yaml:2:"), "\(unknownKey.standardError)")
    let noKey = try Subprocess.run(Fixtures.cliBinary.path, ["sensor", input.path, "-o", out, "--policy", policy.path], environment: [:])
    #expect(noKey.status == 1)
    #expect(noKey.standardError.contains("BLINDSPOT_SENSOR_KEY_EU"))
    let noFormat = try blindspot(["sensor", input.path, "-o", dir.appendingPathComponent("o.txt").path, "--policy", policy.path])
    #expect(noFormat.status == 1)
  }

  @Test func readsStandardInput() throws {
    // Given a drive as JSON Lines on standard input
    let text = try Trace.write(Trace.roundTrip(), as: .jsonl)
    let output = dir.appendingPathComponent("stdin.csv")
    // When run with -
    let result = try Subprocess.run(Fixtures.cliBinary.path, ["sensor", "-", "--input-format", "jsonl", "-o", output.path,
                                                               "--policy", policy.path, "--quiet"],
                                    input: Data(text.utf8), environment: environment)
    // Then it writes CSV and prints nothing
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardError.isEmpty)
    #expect(try String(contentsOf: output, encoding: .utf8).hasPrefix("time,latitude,longitude"))
  }

  @Test func anUnwritableOutputIsBadInputAndLeavesNothing() throws {
    let input = try write(Array(Trace.roundTrip().prefix(10)), "d.jsonl", as: .jsonl)
    let result = try blindspot(["sensor", input.path, "-o", dir.appendingPathComponent("missing/o.jsonl").path, "--policy", policy.path])
    #expect(result.status == 2)
    #expect(result.standardError.contains("o.jsonl"))
  }

  @Test func aRerunRemovesThePartialOutputOfADeadWriterAndKeepsALiveOnes() throws {
    // Given the partial output a killed run left, and one a live writer is still filling
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    let abandoned = ".o.gpx.partial-\(dead.processIdentifier)-\(PartialFile.host)-killed"
    let live = ".o.gpx.partial-\(getppid())-\(PartialFile.host)-live"
    for name in [abandoned, live] { try Data("half".utf8).write(to: dir.appendingPathComponent(name)) }
    // When the same output is written again
    let input = try write(Array(Trace.roundTrip().prefix(10)), "o.jsonl", as: .jsonl)
    let result = try blindspot(["sensor", input.path, "-o", dir.appendingPathComponent("o.gpx").path, "--policy", policy.path])
    // Then only the live writer's partial file is left beside it
    #expect(result.status == 0, "\(result.standardError)")
    let partials = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".o.gpx.partial-") }
    #expect(partials == [live])
  }

  @Test func helpListsTheSensorCommand() throws {
    let help = try blindspot(["sensor", "--help"])
    for option in ["--output", "--policy", "--format", "--input-format", "--region", "--csv-columns"] {
      #expect(help.output.contains(option), "\(option)")
    }
  }
}
