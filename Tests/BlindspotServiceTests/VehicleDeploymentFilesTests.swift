import BlindspotService
import BlindspotTestSupport
import Foundation
import Testing

/// The sample configuration and the systemd unit in deploy/vehicle/ stay usable.
@Suite struct VehicleDeploymentFilesTests {
  let directory = Fixtures.repositoryRoot.appendingPathComponent("deploy/vehicle")

  @Test func theSampleConfigurationParses() throws {
    let scratch = try Fixtures.scratchDirectory("deploy")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let credentials = scratch.appendingPathComponent("credentials")
    try "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = example-secret\n"
      .write(to: credentials, atomically: true, encoding: .utf8)
    let text = try String(contentsOf: directory.appendingPathComponent("blindspot.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "/etc/blindspot/credentials", with: credentials.path)
    let configuration = try ServiceConfiguration.parse(yaml: text, baseDirectory: directory)
    #expect(configuration.region.rawValue == "eu")
    #expect(configuration.stores.stores.map(\.name) == ["outbox", "eu-archive"])
    #expect(configuration.spool.deleteRaw == .never)
    #expect(configuration.listen?.host == "127.0.0.1")
  }

  @Test func theUnitRunsServeWithTheSampleConfigurationAndStopsBySIGTERM() throws {
    let unit = try String(contentsOf: directory.appendingPathComponent("blindspot.service"), encoding: .utf8)
    let lines = unit.split(separator: "\n").map(String.init)
    #expect(lines.contains("ExecStart=/usr/local/bin/blindspot serve --config /etc/blindspot/blindspot.yaml"))
    #expect(lines.contains("KillSignal=SIGTERM"))
    #expect(lines.contains("Restart=always"))
    // systemd must wait longer than the service's own grace period before it sends SIGKILL.
    let stop = try #require(lines.first { $0.hasPrefix("TimeoutStopSec=") }.flatMap { Double($0.dropFirst(15)) })
    let sample = try String(contentsOf: directory.appendingPathComponent("blindspot.yaml"), encoding: .utf8)
    let grace = try #require(sample.split(separator: "\n").first { $0.hasPrefix("shutdown_grace_s:") }
      .flatMap { Double($0.dropFirst(17).split(separator: "#")[0].trimmingCharacters(in: .whitespaces)) })
    #expect(stop > grace)
    for section in ["[Unit]", "[Service]", "[Install]"] { #expect(lines.contains(section)) }
  }
}
