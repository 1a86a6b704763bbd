import BlindspotTestSupport
import Foundation
import Testing

/// A bad `blindspot.yaml` stops `serve` before it touches the spool, with one line and a
/// distinct exit code: 1 for a configuration to fix, 3 for a cross-region route, 4 for a store
/// that cannot be reached (retry later).
@Suite(.timeLimit(.minutes(3))) struct ServeConfigurationErrorTests {
  func serve(_ stores: String, region: String = "eu", check: Bool = false,
             environment: [String: String] = [:]) throws -> ProcessResult {
    let fixture = try ServiceFixture(label: "bad-config")
    defer { fixture.remove() }
    try """
      region: \(region)
      state_dir: \(fixture.state.path)
      spool: {path: \(fixture.spool.path)}
      stores:
      \(stores)
      """.write(to: fixture.config, atomically: true, encoding: .utf8)
    var merged = ProcessInfo.processInfo.environment
    merged.merge(environment) { $1 }
    merged["BLINDSPOT_SECRET"] = "do-not-print-this-secret"
    let result = try Subprocess.run(Fixtures.cliBinary.path,
                                    ["serve", "--config", fixture.config.path] + (check ? ["--check-config"] : ["--once"]),
                                    environment: merged)
    #expect(!FileManager.default.fileExists(atPath: fixture.state.appendingPathComponent("journal.sqlite").path),
            "a refused configuration must not start the journal")
    return result
  }

  func s3(endpoint: String = "http://127.0.0.1:9", credentials: String = "{env: {access_key_id: BLINDSPOT_KEY, secret_access_key: BLINDSPOT_SECRET}}") -> String {
    "  - {name: archive, region: eu, s3: {endpoint: \"\(endpoint)\", bucket: b, signing_region: eu-central-1, addressing: path, credentials: \(credentials)}}"
  }

  func expectOneLine(_ result: ProcessResult, status: Int32, mentioning words: [String]) {
    #expect(result.status == status, "exit \(result.status): \(result.standardError)")
    let lines = result.standardError.split(separator: "\n")
    #expect(lines.count == 1, "expected one line, got: \(result.standardError)")
    for word in words { #expect(result.standardError.contains(word), "'\(word)' missing from: \(result.standardError)") }
    #expect(!result.standardError.contains("do-not-print-this-secret"))
  }

  @Test func anUnknownRegion() throws {
    let result = try serve("  - {name: outbox, region: mars, local: {path: out}}", region: "mars")
    expectOneLine(result, status: 1, mentioning: ["region", "mars"])
  }

  @Test func aCrossRegionRoute() throws {
    let result = try serve("  - {name: outbox, region: cn, local: {path: out}}")
    expectOneLine(result, status: 3, mentioning: ["outbox", "cross-region"])
  }

  @Test func missingCredentials() throws {
    let result = try serve(s3(), environment: ["BLINDSPOT_KEY": ""])
    expectOneLine(result, status: 1, mentioning: ["BLINDSPOT_KEY"])
  }

  @Test func anUnreachableEndpoint() throws {
    let result = try serve(s3(), check: true, environment: ["BLINDSPOT_KEY": "AKIDEXAMPLE"])
    expectOneLine(result, status: 4, mentioning: ["archive"])
  }
}
