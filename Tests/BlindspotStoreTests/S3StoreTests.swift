import BlindspotTestSupport
import Foundation
import NIOHTTP1
import Testing

@testable import BlindspotStore

/// Thread-safe flag and counter shared between a test and the store's hooks.
final class Gate: @unchecked Sendable {
  private let lock = NSLock()
  private var isOpen = false
  private var count = 0

  func open() { lock.withLock { isOpen = true } }
  var opened: Bool { lock.withLock { isOpen } }
  /// Adds one and returns the new count.
  @discardableResult func tick() -> Int { lock.withLock { count += 1; return count } }
  var ticks: Int { lock.withLock { count } }
}

/// `S3Store` against moto, a real S3 protocol server started on loopback by each test.
/// Serialized: each test starts its own Python server, and the machine may have only 2 cores.
@Suite(.serialized, .timeLimit(.minutes(3))) struct S3StoreTests {
  let work: TemporaryDirectory
  let anyCredentials = S3Credentials(accessKeyID: "AKIATESTTEST", secretAccessKey: "test-secret-not-checked", source: "test")

  init() throws { work = try TemporaryDirectory() }

  func store(_ moto: MotoServer, bucket: String = "fleet-eu", credentials: S3Credentials? = nil, partSize: Int = 8 << 20,
             retry: RetryPolicy = quickRetry()) -> S3Store {
    S3Store(name: "eu-archive", region: .eu, settings: S3Store.Settings(
      endpoint: moto.endpoint, bucket: bucket, prefix: "anon/", signingRegion: "us-east-1", addressing: .path,
      credentials: credentials ?? anyCredentials, partSize: partSize, requestTimeout: .seconds(20), retry: retry))
  }

  static func quickRetry(attempts: Int = 4) -> RetryPolicy {
    var policy = RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200))
    policy.random = { $0.upperBound }
    return policy
  }

  func createBucket(_ store: S3Store) async throws {
    _ = try await store.client.send(.PUT, key: nil)
  }

  @Test func singleUploadIsVerifiedAndIdempotent() async throws {
    defer { work.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    // Given a bucket and a small artifact
    let store = store(moto)
    try await createBucket(store)
    let content = Artifacts.bytes(200_000, seed: 10)
    let artifact = try Artifacts.make(in: work.url, content: content, key: "2024-05-01/front.mp4")
    // When stored
    let receipt = try await store.put(artifact)
    // Then the object and its sidecar are there with our size and checksum
    #expect(receipt.outcome == .stored && receipt.key == "anon/2024-05-01/front.mp4")
    let object = try #require(try await store.head("anon/2024-05-01/front.mp4"))
    #expect(object.size == 200_000 && object.sha256 == artifact.sha256)
    #expect(object.etag == "\"\(Artifacts.md5(content))\"")
    #expect(try await store.head("anon/2024-05-01/front.anon.json") != nil)
    // And storing it again uploads nothing
    #expect(try await store.put(artifact).outcome == .alreadyPresent)
    // And other bytes under the same key are a conflict
    let other = work.url.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    let changed = try Artifacts.make(in: other, content: Artifacts.bytes(200_000, seed: 11), key: "2024-05-01/front.mp4")
    await #expect { try await store.put(changed) } throws: { ($0 as! StoreError).kind == .conflict }
  }

  @Test func largeFilesGoUpInSeveralParts() async throws {
    defer { work.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    // Given a 3.1 MB artifact and 512 KiB parts
    let parts = Gate()
    var store = store(moto, partSize: 512 << 10)
    store.afterPart = { _ in parts.tick() }
    try await createBucket(store)
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(3_100_000, seed: 12))
    // When stored
    let receipt = try await store.put(artifact)
    // Then it went up in 6 parts and the object is whole, with S3's multipart ETag
    #expect(receipt.outcome == .stored && parts.ticks == 6)
    let object = try #require(try await store.head("anon/front.mp4"))
    #expect(object.size == 3_100_000 && object.sha256 == artifact.sha256)
    #expect(object.etag.hasSuffix("-6\""))
    // And no multipart upload is left open
    let uploads = try await store.client.send(.GET, key: nil, query: [("uploads", "")])
    #expect(!uploads.body.contains("<UploadId>"))
  }

  /// The server is SIGKILLed between parts 2 and 3 and restarted; the store's retries wait on a
  /// gate until the restarted server has its bucket again.
  ///
  /// Moto keeps everything in memory: the restarted server has lost the bucket (the test
  /// recreates it) and the multipart upload. For an unknown upload id moto answers 500 (a
  /// KeyError inside moto) where AWS S3 answers 404 NoSuchUpload, on which the store restarts the
  /// multipart upload in place; so with moto the part's retries run out, the put fails as
  /// retryable (exit 4) and aborts, and the caller's next put — as the service retries an
  /// artifact — uploads it whole on the restarted server.
  @Test func anUploadSurvivesTheServerBeingKilledAndRestarted() async throws {
    defer { work.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    // Given a multipart upload whose retries wait until the server is back with its bucket
    let restarted = Gate(), waits = Gate(), killed = Gate()
    var retry = Self.quickRetry(attempts: 4)
    retry.sleep = { _ in
      waits.tick()
      for _ in 0..<600 where !restarted.opened { try await Task.sleep(for: .milliseconds(50)) }
    }
    var store = store(moto, partSize: 256 << 10, retry: retry)
    try await createBucket(store)
    let bucketMaker = store
    // When the server is killed after part 2 and restarted
    store.afterPart = { number in
      guard number == 2, killed.tick() == 1 else { return }
      moto.crash()
      Task.detached {
        try moto.restart()
        _ = try await bucketMaker.client.send(.PUT, key: nil)
        restarted.open()
      }
    }
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(1_500_000, seed: 13))
    do {
      let receipt = try await store.put(artifact)
      #expect(receipt.outcome == .stored)  // A server that keeps uploads (or says NoSuchUpload) gets here.
    } catch {
      #expect(error.isRetryable && error.exitCode == 4, "\(error)")
      // Then the caller's retry of the artifact completes on the restarted server
      #expect(try await store.put(artifact).outcome == .stored)
    }
    // Then the store waited for the restart, and the object is whole
    #expect(waits.ticks >= 1 && restarted.opened)
    let object = try #require(try await store.head("anon/front.mp4"))
    #expect(object.size == 1_500_000 && object.sha256 == artifact.sha256)
  }

  /// Moto accepts any credentials by default; with its IAM check on (switched on by the test
  /// after creating a user) it verifies the access key id and the SigV4 signature, which is
  /// what this test covers. It does not check key expiry or clock skew.
  @Test func wrongCredentialsAreAClearErrorWithoutSecrets() async throws {
    defer { work.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    let key = try moto.enableAuthentication(bucket: "fleet-eu")
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(1000, seed: 14))
    // Given the right key pair: the signature is accepted and the access check passes
    let good = S3Credentials(accessKeyID: key.accessKeyID, secretAccessKey: key.secret, source: "env:TEST_KEY")
    try await store(moto, credentials: good).checkAccess()
    #expect(try await store(moto, credentials: good).put(artifact).outcome == .stored)
    // When the access key id is unknown
    let unknown = S3Credentials(accessKeyID: "AKIAUNKNOWN000000000", secretAccessKey: "wrong-secret-value", source: "env:TEST_KEY")
    await #expect {
      try await store(moto, credentials: unknown).checkAccess()
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .rejected && error.exitCode == 1 && error.description.contains("InvalidAccessKeyId")
        && error.description.contains("env:TEST_KEY") && !error.description.contains("wrong-secret-value")
    }
    // When the secret is wrong
    let badSecret = S3Credentials(accessKeyID: key.accessKeyID, secretAccessKey: "wrong-secret-value", source: "env:TEST_KEY")
    await #expect {
      try await store(moto, credentials: badSecret).put(artifact)
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .rejected && error.description.contains("SignatureDoesNotMatch")
        && !error.description.contains("wrong-secret-value") && !error.description.contains(key.secret)
    }
  }

  @Test func aMissingBucketIsAClearError() async throws {
    defer { work.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    let store = store(moto, bucket: "no-such-bucket")
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(1000, seed: 15))
    for attempt in [{ _ = try await store.put(artifact) }, { try await store.checkAccess() }] as [() async throws -> Void] {
      await #expect {
        try await attempt()
      } throws: { error in
        let error = error as! StoreError
        return error.kind == .rejected && error.exitCode == 1 && error.description.contains("bucket 'no-such-bucket' does not exist")
      }
    }
  }

  @Test func anUnreachableEndpointIsRetryable() async throws {
    defer { work.remove() }
    // Given an endpoint where nothing listens
    let port = try MotoServer.freePort()
    let waits = Gate()
    var retry = Self.quickRetry(attempts: 3)
    retry.sleep = { _ in waits.tick() }
    let store = S3Store(name: "eu-archive", region: .eu, settings: S3Store.Settings(
      endpoint: URL(string: "http://127.0.0.1:\(port)")!, bucket: "b", signingRegion: "us-east-1", addressing: .path,
      credentials: anyCredentials, retry: retry))
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(1000, seed: 16))
    // Then the put fails after 3 attempts as retryable I/O (exit 4), secrets nowhere
    await #expect {
      try await store.put(artifact)
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .unavailable && error.exitCode == 4 && error.description.contains("after 3 attempts")
        && !error.description.contains("test-secret")
    }
    #expect(waits.ticks == 2)
  }

  @Test func aCrossRegionWriteIsRefusedBeforeAnyRequest() async throws {
    defer { work.remove() }
    // Given a store that cannot be reached: a request would fail as unavailable, not policy
    let store = S3Store(name: "eu-archive", region: .eu, settings: S3Store.Settings(
      endpoint: URL(string: "http://127.0.0.1:\(try MotoServer.freePort())")!, bucket: "b", signingRegion: "us-east-1",
      credentials: anyCredentials, retry: Self.quickRetry(attempts: 1)))
    let artifact = try Artifacts.make(in: work.url, content: Data("cn".utf8), region: .cn)
    await #expect { try await store.put(artifact) } throws: { ($0 as! StoreError).kind == .policy }
  }

  @Test func virtualHostAddressingPutsTheBucketInTheHost() {
    defer { work.remove() }  // The suite's init made one.
    var settings = S3Store.Settings(endpoint: URL(string: "https://s3.eu-central-1.amazonaws.com")!, bucket: "fleet-eu",
                                    signingRegion: "eu-central-1", credentials: anyCredentials)
    let virtual = S3Store(name: "a", region: .eu, settings: settings).client.target(key: "anon/a b.mp4")
    #expect(virtual.host == "fleet-eu.s3.eu-central-1.amazonaws.com" && virtual.path == "/anon/a%20b.mp4")
    settings.addressing = .path
    settings.endpoint = URL(string: "http://127.0.0.1:9000")!
    let path = S3Store(name: "a", region: .eu, settings: settings).client.target(key: "anon/a.mp4")
    #expect(path.host == "127.0.0.1:9000" && path.path == "/fleet-eu/anon/a.mp4")
  }
}
