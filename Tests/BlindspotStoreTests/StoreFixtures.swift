import BlindspotTestSupport
import Crypto
import Foundation

@testable import BlindspotStore

/// A fresh temporary directory per test, removed by `remove()`.
struct TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

enum Artifacts {
  /// Deterministic pseudo-random bytes (so a failing test can be rerun on the same data).
  static func bytes(_ count: Int, seed: UInt64) -> Data {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    var data = Data(capacity: count)
    while data.count < count {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      withUnsafeBytes(of: state.bigEndian) { data.append(contentsOf: $0.prefix(count - data.count)) }
    }
    return data
  }

  /// Writes `content` as `name` and a sidecar beside it in `directory`, and returns the artifact.
  static func make(in directory: URL, name: String = "front.mp4", content: Data, region: Region = .eu,
                   key: String? = nil) throws -> AnonymizedArtifact {
    let file = directory.appendingPathComponent(name)
    try content.write(to: file)
    let sidecar = directory.appendingPathComponent((name as NSString).deletingPathExtension + ".anon.json")
    try Data(#"{"region":"\#(region)","sha256":"\#(sha256(content))"}"#.utf8).write(to: sidecar)
    return AnonymizedArtifact(file: file, region: region, sidecar: sidecar, sha256: sha256(content), key: key)
  }

  static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}

extension Artifacts {
  static func md5(_ data: Data) -> String { Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}
