import BlindspotTestSupport
import Foundation
import Testing

@testable import BlindspotStore

/// Which answers the S3 client retries, against a scripted HTTP server on loopback (moto cannot
/// be told to answer 503 or RequestTimeTooSkewed). The server is a few lines of Python's
/// http.server; it echoes the request's `x-amz-date` in `x-seen-date`.
@Suite(.serialized, .timeLimit(.minutes(1))) struct RetryClassificationTests {
  static let script = """
    import sys, http.server
    mode, seen = sys.argv[2], [0]
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            seen[0] += 1
            self.rfile.read(int(self.headers.get("content-length", 0)))
            if mode == "skew" and seen[0] == 1:
                status, body = 403, b"<Error><Code>RequestTimeTooSkewed</Code><ServerTime>2030-01-02T03:04:05Z</ServerTime></Error>"
            elif mode == "unavailable":
                status, body = 503, b"<Error><Code>SlowDown</Code></Error>"
            elif mode == "invalid":
                status, body = 400, b"<Error><Code>InvalidArgument</Code></Error>"
            else:
                status, body = 200, b""
            self.send_response(status)
            self.send_header("x-seen-date", self.headers.get("x-amz-date", ""))
            self.send_header("x-attempt", str(seen[0]))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """

  /// Runs `body` with a client of a scripted server in `mode`; the server is killed afterwards.
  func withServer(_ mode: String, attempts: Int = 4, _ body: (S3Client) async throws -> Void) async throws {
    let port = try MotoServer.freePort()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", Self.script, String(port), mode]
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    var tries = 0
    while !MotoServer.accepts(port: port), tries < 100 {  // One probe at a time: the server's backlog is 5.
      tries += 1
      try await Task.sleep(for: .milliseconds(50))
    }
    var retry = RetryPolicy(maxAttempts: attempts)
    retry.sleep = { _ in }
    let settings = S3Store.Settings(
      endpoint: URL(string: "http://127.0.0.1:\(port)")!, bucket: "b", signingRegion: "us-east-1", addressing: .path,
      credentials: S3Credentials(accessKeyID: "AKIATEST", secretAccessKey: "s", source: "test"), retry: retry)
    try await body(S3Store(name: "s", region: .eu, settings: settings).client)
  }

  @Test func clockSkewIsRetriedWithTheServersTime() async throws {
    try await withServer("skew") { client in
      // When the first answer says the clock is skewed
      let response = try await client.send(.PUT, key: "k", body: Data("x".utf8))
      // Then the second attempt succeeds, signed with the server's date
      #expect(response.headers.first(name: "x-attempt") == "2")
      #expect(response.headers.first(name: "x-seen-date")?.hasPrefix("20300102T0304") == true)
    }
  }

  @Test func serverErrorsAreRetriedUntilTheAttemptsRunOut() async throws {
    try await withServer("unavailable", attempts: 3) { client in
      await #expect {
        _ = try await client.send(.PUT, key: "k", body: Data("x".utf8))
      } throws: { error in
        let failure = error as! S3RequestFailure
        guard case .server(503, "SlowDown") = failure.failure else { return false }
        return failure.attempts == 3
      }
    }
  }

  @Test func otherClientErrorsAreNotRetried() async throws {
    try await withServer("invalid") { client in
      await #expect {
        _ = try await client.send(.PUT, key: "k", body: Data("x".utf8))
      } throws: { error in
        let failure = error as! S3RequestFailure
        guard case .client(400, "InvalidArgument") = failure.failure else { return false }
        return failure.attempts == 1
      }
    }
  }
}
