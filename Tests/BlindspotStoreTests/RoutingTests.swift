import Foundation
import Testing

@testable import BlindspotStore

/// A backend that records what it was asked to store (the production protocol, with a counter).
final class RecordingBackend: StorageBackend, @unchecked Sendable {
  let name: String
  let region: Region
  private let lock = NSLock()
  private var stored: [String] = []

  init(name: String, region: Region) {
    self.name = name
    self.region = region
  }

  /// Keys stored so far. Lock-protected.
  var keys: [String] { lock.withLock { stored } }

  func put(_ artifact: AnonymizedArtifact) async throws(StoreError) -> StoreReceipt {
    try requireRegion(of: artifact)
    lock.withLock { stored.append(artifact.key) }
    return StoreReceipt(store: name, key: artifact.key, sidecarKey: artifact.sidecarKey, size: 0, outcome: .stored)
  }
}

@Suite(.timeLimit(.minutes(1))) struct RoutingTests {
  let work: TemporaryDirectory

  init() throws { work = try TemporaryDirectory() }

  @Test func anArtifactGoesToEveryStoreOfItsRegion() async throws {
    defer { work.remove() }
    // Given a cn vehicle with two cn stores
    let outbox = RecordingBackend(name: "outbox", region: .cn), archive = RecordingBackend(name: "archive", region: .cn)
    let stores = try RegionalStores(region: .cn, backends: [outbox, archive])
    // When a cn artifact is stored, then both stores have it
    let receipts = try await stores.put(Artifacts.make(in: work.url, content: Data("a".utf8), region: .cn))
    #expect(receipts.map(\.store) == ["outbox", "archive"])
    #expect(outbox.keys == ["front.mp4"] && archive.keys == ["front.mp4"])
    #expect(stores.policyViolations == 0)
  }

  @Test func anArtifactOfAnotherRegionIsAPolicyErrorNeverAFallback() async throws {
    defer { work.remove() }
    // Given an eu vehicle's stores and an artifact labelled cn
    let outbox = RecordingBackend(name: "outbox", region: .eu)
    let stores = try RegionalStores(region: .eu, backends: [outbox])
    let artifact = try Artifacts.make(in: work.url, content: Data("a".utf8), region: .cn)
    // When routed, then it is refused (exit 3), counted, and no store got it
    await #expect {
      try await stores.put(artifact)
    } throws: { ($0 as! StoreError).exitCode == 3 }
    await #expect(throws: StoreError.self) { try await stores.put(artifact, into: "outbox") }
    #expect(outbox.keys.isEmpty)
    #expect(stores.policyViolations == 2)
  }

  @Test func routingOverAStoreOfAnotherRegionIsRefusedAtSetUp() {
    defer { work.remove() }  // The suite's init made one.
    #expect {
      try RegionalStores(region: .eu, backends: [RecordingBackend(name: "us-archive", region: .us)])
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .policy && error.store == "us-archive"
    }
  }

  @Test func aConfigurationBuildsItsStores() async throws {
    defer { work.remove() }
    // Given a loaded configuration with a local store
    let yaml = "region: us\nstores:\n  - {name: outbox, region: us, local: {path: \(work.url.path)/outbox}}\n"
    let stores = RegionalStores(try StoreConfiguration.parse(yaml: yaml))
    // When a us artifact is stored, then it is in the outbox
    _ = try await stores.put(Artifacts.make(in: work.url, content: Data("u".utf8), region: .us))
    #expect(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("outbox/front.mp4").path))
    #expect(stores.backends.first is LocalStore)
  }

  @Test func keysMustBeRelativeWithoutDotSegments() {
    defer { work.remove() }  // The suite's init made one.
    #expect(AnonymizedArtifact.isValidKey("2024/front.mp4"))
    for key in ["", "/abs.mp4", "a/../b.mp4", "a//b.mp4", "./a.mp4"] { #expect(!AnonymizedArtifact.isValidKey(key), "\(key)") }
  }
}
