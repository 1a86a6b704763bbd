import BlindspotTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A TeslaCam spool of tiny real clips (photos of faces and plates, 160×120, 12 frames), a
/// configuration for it, and the `blindspot serve` process driven the way systemd drives it.
struct ServiceFixture {
  static let cameras = ["front", "back", "left_repeater", "right_repeater"]
  static let photos = ["oim-car_image.webp", "alpr-test.jpg", "astronaut.png", "messi5.jpg"]

  let root: URL
  var spool: URL { root.appendingPathComponent("spool") }
  var store: URL { root.appendingPathComponent("store-eu") }
  var state: URL { root.appendingPathComponent("state") }
  var config: URL { root.appendingPathComponent("blindspot.yaml") }

  init(label: String) throws {
    root = try Fixtures.scratchDirectory(label)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  /// Writes `minutes` of RecentClips (one file per camera) and `events` SavedClips folders;
  /// returns the spool-relative paths of every segment.
  @discardableResult
  func makeSpool(minutes: Int, events: Int = 0) throws -> [String] {
    let clips = try Self.cameras.indices.map { try cameraClip($0) }
    var paths: [String] = []
    func place(_ folder: String, minute: String) throws {
      for (index, camera) in Self.cameras.enumerated() {
        let path = "\(folder)/\(minute)-\(camera).mp4"
        let url = spool.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: clips[index], to: url)
        paths.append(path)
      }
    }
    for minute in 0..<minutes { try place("TeslaCam/RecentClips", minute: String(format: "2026-11-29_08-%02d-00", minute)) }
    for event in 0..<events {
      let minute = String(format: "2026-11-29_09-%02d-00", event)
      try place("TeslaCam/SavedClips/\(minute)", minute: minute)
    }
    return paths
  }

  /// One camera's clip, made once per fixture under `clips/`.
  private func cameraClip(_ index: Int) throws -> URL {
    let url = root.appendingPathComponent("clips/\(Self.cameras[index]).mp4")
    if FileManager.default.fileExists(atPath: url.path) { return url }
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Subprocess.ffmpeg([
      "-loop", "1", "-framerate", "12", "-i", try Fixtures.asset(Self.photos[index]).path,
      "-vf", "scale=160:120,format=yuv420p", "-frames:v", "12", "-c:v", "libx264", "-preset", "ultrafast", "-g", "6",
      "-metadata", "make=Tesla", "-metadata", "location=+48.8584+002.2945/", url.path,
    ])
    return url
  }

  /// A configuration with a local store in `eu`; `topLevel` adds keys, `extraStores` list items.
  func writeConfig(deleteRaw: Bool = false, port: Int? = nil, grace: Double = 20, budgetGiB: Double? = nil,
                   topLevel: String = "", extraStores: String = "") throws {
    let yaml = """
      version: 1
      region: eu
      state_dir: \(state.path)
      shutdown_grace_s: \(grace)
      spool:
        path: \(spool.path)
        layout: teslacam
        settle_s: 0
        poll_s: 0.2
        delete_raw_after: \(deleteRaw ? "stored" : "never")
        \(budgetGiB.map { "backlog_budget_gib: \($0)" } ?? "")
      http:
        listen: \(port.map { "127.0.0.1:\($0)" } ?? "off")
      anonymize:
        detect_size: 320
        plate_detect_size: 320
      \(topLevel)
      stores:
        - name: outbox
          region: eu
          local:
            path: \(store.path)
      \(extraStores)
      """
    try yaml.write(to: config, atomically: true, encoding: .utf8)
  }

  /// The `stores` item of an S3 store `s3-eu` in moto's bucket `fleet-eu` under `vehicle-7/`,
  /// for `writeConfig(extraStores:)`; its credentials come from `s3Environment`.
  static func s3Store(_ moto: MotoServer) -> String {
    """
      - name: s3-eu
        region: eu
        s3:
          endpoint: \(moto.endpoint.absoluteString)
          bucket: fleet-eu
          prefix: vehicle-7
          signing_region: eu-central-1
          addressing: path
          credentials: {env: {access_key_id: TEST_KEY, secret_access_key: TEST_SECRET}}
    """
  }

  /// This process's environment with the credentials `s3Store` names.
  static var s3Environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["TEST_KEY"] = "AKIDEXAMPLE"
    environment["TEST_SECRET"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    return environment
  }

  /// Runs `blindspot serve --config … --once` to completion.
  func serveOnce(environment: [String: String]? = nil) throws -> ProcessResult {
    try Subprocess.run(Fixtures.cliBinary.path, ["serve", "--config", config.path, "--once"], environment: environment)
  }

  /// Starts `blindspot serve` in the background.
  func start() throws -> Process {
    let process = Process()
    process.executableURL = Fixtures.cliBinary
    process.arguments = ["serve", "--config", config.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Every file in the store, relative to it.
  func storedFiles() -> [String] {
    let prefix = store.standardizedFileURL.path + "/"
    guard let walker = FileManager.default.enumerator(at: store, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    return walker.compactMap { ($0 as? URL)?.standardizedFileURL }
      .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
      .map { String($0.path.dropFirst(prefix.count)) }
      .sorted()
  }
}

/// GET on loopback; nil when nothing answers.
func httpGet(port: Int, path: String) async -> (status: Int, body: String)? {
  guard let url = URL(string: "http://127.0.0.1:\(port)\(path)"),
        let (data, response) = try? await URLSession.shared.data(from: url),
        let http = response as? HTTPURLResponse else { return nil }
  return (http.statusCode, String(decoding: data, as: UTF8.self))
}

/// Deterministic randomness for the crash schedule (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
