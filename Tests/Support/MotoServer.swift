import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real S3 protocol server on loopback for the store and batch tests: moto's `moto_server`
/// (PyPI `moto[server]`), started on a free 127.0.0.1 port and stopped by `stop()` (call it in a
/// `defer`).
///
/// Moto keeps everything in memory: a restarted server has no buckets and no multipart uploads.
/// Moto accepts any credentials unless its IAM check is switched on (`enableAuthentication`).
public final class MotoServer: @unchecked Sendable {
  public static let installHint = "moto_server not found: install it with `python3 -m pip install 'moto[server]==5.2.1'` (scripts/install-deps.sh does)"

  public let port: Int
  private let lock = NSLock()
  private var process: Process?  // Lock-protected.
  /// Where moto's request recorder writes, once `startRecording()` switched it on.
  private let recording = FileManager.default.temporaryDirectory.appendingPathComponent("moto-recording-\(UUID().uuidString)")

  public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }  // A literal URL.

  /// Starts a server, or throws with `installHint` when moto is not installed.
  public static func start() throws -> MotoServer {
    let server = MotoServer(port: try freePort())
    try server.launch()
    return server
  }

  private init(port: Int) { self.port = port }

  deinit { stop() }

  /// The command that runs moto: `moto_server` on PATH, else `python3 -m moto.server`.
  private static func command() throws -> [String] {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let candidate = "\(directory)/moto_server"
      if FileManager.default.isExecutableFile(atPath: candidate) { return [candidate] }
    }
    if let result = try? Subprocess.run("python3", ["-c", "import moto.server"]), result.status == 0 {
      return ["/usr/bin/env", "python3", "-m", "moto.server"]
    }
    throw FixtureError(installHint)
  }

  private func launch() throws {
    let command = try Self.command()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst()) + ["-H", "127.0.0.1", "-p", String(port)]
    var environment = ProcessInfo.processInfo.environment
    environment["S3_UPLOAD_PART_MIN_SIZE"] = "65536"  // Small parts, so a few-MB file has several.
    environment["MOTO_RECORDER_FILEPATH"] = recording.path
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    lock.withLock { self.process = process }
    // Wait until it accepts connections (Python's imports take a second or two).
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      if Self.accepts(port: port) { return }
      guard process.isRunning else { throw FixtureError("moto_server exited at start (status \(process.terminationStatus))") }
      usleep(100_000)
    }
    stop()
    throw FixtureError("moto_server did not listen on 127.0.0.1:\(port) within 30 s")
  }

  /// Kills the server at once (SIGKILL: no clean shutdown, like a crash or a pulled cable).
  public func crash() {
    guard let process = lock.withLock({ self.process }) else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    lock.withLock { self.process = nil }
  }

  /// Starts a fresh server on the same port (with no state).
  public func restart() throws {
    crash()
    try launch()
  }

  /// Stops the server. SIGKILL: moto_server ignores SIGTERM, and has nothing to save.
  public func stop() {
    crash()
    try? FileManager.default.removeItem(at: recording)
  }

  /// Starts moto's request recorder afresh: from now on every request is recorded.
  public func startRecording() throws {
    try? FileManager.default.removeItem(at: recording)
    let script = """
      import sys, urllib.request
      urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/moto-api/recorder/start-recording", data=b"", method="POST"))
      """
    let result = try Subprocess.run("python3", ["-c", script, endpoint.absoluteString])
    guard result.status == 0 else { throw FixtureError("moto recorder start failed: \(result.standardError)") }
  }

  /// The requests recorded since `startRecording()`, as method and URL path ("GET /bucket/key").
  public func recordedRequests() throws -> [String] {
    guard let text = try? String(contentsOf: recording, encoding: .utf8) else { return [] }
    return try text.split(separator: "\n").map { line in
      let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      guard let method = entry?["method"] as? String, let url = (entry?["url"] as? String).flatMap(URL.init(string:)) else {
        throw FixtureError("unreadable moto recording line")
      }
      return "\(method) \(url.path)"
    }
  }

  /// Creates a bucket with no authentication (moto's default).
  public func createBucket(_ bucket: String) throws {
    let script = """
      import sys, boto3
      boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="k",
                   aws_secret_access_key="s").create_bucket(Bucket=sys.argv[2])
      """
    let result = try Subprocess.run("python3", ["-c", script, endpoint.absoluteString, bucket])
    guard result.status == 0 else { throw FixtureError("moto bucket set-up failed: \(result.standardError)") }
  }

  /// Creates a user with full S3 rights and a bucket, then switches moto's IAM check on; returns
  /// the user's key pair. Uses boto3 (a dependency of moto) for the IAM calls.
  public func enableAuthentication(bucket: String) throws -> (accessKeyID: String, secret: String) {
    let script = """
      import json, sys, urllib.request, boto3
      url = sys.argv[1]
      kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
      iam = boto3.client("iam", **kw)
      iam.create_user(UserName="vehicle")
      iam.put_user_policy(UserName="vehicle", PolicyName="s3", PolicyDocument=json.dumps(
          {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
      key = iam.create_access_key(UserName="vehicle")["AccessKey"]
      boto3.client("s3", **kw).create_bucket(Bucket=sys.argv[2])
      urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset-auth", data=b"0", method="POST",
                                                    headers={"Content-Type": "text/plain"}))
      print(key["AccessKeyId"], key["SecretAccessKey"])
      """
    let result = try Subprocess.run("python3", ["-c", script, endpoint.absoluteString, bucket])
    let parts = result.output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    guard result.status == 0, parts.count == 2 else { throw FixtureError("moto IAM set-up failed: \(result.standardError)") }
    return (parts[0], parts[1])
  }

  public static func accepts(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
  }

  /// A port that was free a moment ago (bound to 0, read back, released).
  public static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw FixtureError("socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard bound else { throw FixtureError("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
