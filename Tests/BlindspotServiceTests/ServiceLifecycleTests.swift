import BlindspotTestSupport
import Foundation
import Testing

/// The service as systemd runs it: HTTP endpoints while it works, SIGTERM for a clean stop.
@Suite(.timeLimit(.minutes(5))) struct ServiceLifecycleTests {
  @Test func endpointsAnswerAndSIGTERMStopsCleanly() async throws {
    let fixture = try ServiceFixture(label: "lifecycle")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 1)
    let port = try MotoServer.freePort()
    try fixture.writeConfig(port: port)
    let service = try fixture.start()
    defer { if service.isRunning { kill(service.processIdentifier, SIGKILL) } }

    // Wait until every segment is stored, watching /status.
    var status: [String: Any] = [:]
    for _ in 0..<600 {
      if let (code, body) = await httpGet(port: port, path: "/status"), code == 200,
         let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] {
        status = json
        if (json["segments"] as? [String: Int])?["stored"] == paths.count { break }
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect((status["segments"] as? [String: Int])?["stored"] == paths.count, "status: \(status)")
    #expect(status["region"] as? String == "eu")

    #expect(await httpGet(port: port, path: "/healthz")?.status == 200)
    #expect(await httpGet(port: port, path: "/readyz")?.status == 200)
    let metrics = try #require(await httpGet(port: port, path: "/metrics"))
    #expect(metrics.status == 200)
    #expect(metrics.body.contains(#"blindspot_segments{state="stored"} 4"#), "\(metrics.body)")
    #expect(metrics.body.contains("blindspot_frames_total 48"))
    #expect(metrics.body.contains(#"blindspot_upload_bytes_total{store="outbox"}"#))
    #expect(metrics.body.contains("blindspot_queue_depth 0"))
    #expect(!metrics.body.contains("TeslaCam"), "metrics must not carry paths")

    kill(service.processIdentifier, SIGTERM)
    service.waitUntilExit()
    #expect(service.terminationReason == .exit && service.terminationStatus == 0)
  }

  @Test func SIGTERMDuringWorkLeavesAStateTheNextStartFinishes() async throws {
    let fixture = try ServiceFixture(label: "sigterm")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 6)
    try fixture.writeConfig(grace: 0.2)
    let service = try fixture.start()
    // Stop it as soon as the first segment is stored: the rest is still to do.
    for _ in 0..<600 where fixture.storedFiles().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
    kill(service.processIdentifier, SIGTERM)
    let stopped = Date()
    service.waitUntilExit()
    #expect(service.terminationStatus == 0)
    #expect(Date().timeIntervalSince(stopped) < 10, "the grace period bounds the stop")
    #expect(fixture.storedFiles().count < paths.count * 2, "stopped before the end: the test checks resumption")

    let resumed = try fixture.serveOnce()
    #expect(resumed.status == 0, "\(resumed.standardError)")
    #expect(fixture.storedFiles() == paths.flatMap { [$0, $0 + ".anon.json"] }.sorted())
  }
}
