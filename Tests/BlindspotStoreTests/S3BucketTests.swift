import BlindspotTestSupport
import Foundation
import Testing

@testable import BlindspotStore

/// Reading from a bucket against moto: HEAD, GET streamed to disk, paged listing, DELETE.
@Suite(.serialized, .timeLimit(.minutes(3))) struct S3BucketTests {
  @Test func headDownloadListAndDelete() async throws {
    let work = try TemporaryDirectory()
    defer { work.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    // Given five objects stored by a store under anon/
    let store = S3Store(name: "eu-archive", region: .eu, settings: S3Store.Settings(
      endpoint: moto.endpoint, bucket: "archive", prefix: "anon/", signingRegion: "us-east-1", addressing: .path,
      credentials: S3Credentials(accessKeyID: "AKIATESTTEST", secretAccessKey: "not-checked", source: "test"),
      requestTimeout: .seconds(20), retry: S3StoreTests.quickRetry()))
    _ = try await store.client.send(.PUT, key: nil)
    var contents: [String: Data] = [:]
    for index in 0..<5 {
      let artifact = try Artifacts.make(in: work.url, name: "clip\(index).mp4", content: Artifacts.bytes(100_000 + index, seed: UInt64(index)),
                                        key: "day/clip\(index).mp4")
      _ = try await store.put(artifact)
      contents["anon/day/clip\(index).mp4"] = try Data(contentsOf: artifact.file)
    }
    let bucket = store.bucket
    // When listed two keys a page
    let listed = try await bucket.list(prefix: "anon/day/clip", pageSize: 2)
    // Then every key (videos and sidecars: five pages) comes back once, in order, with its size
    #expect(listed.count == 10 && listed.map(\.key) == listed.map(\.key).sorted())
    let videos = listed.filter { $0.key.hasSuffix(".mp4") }
    #expect(videos.map(\.key) == contents.keys.sorted())
    #expect(videos.map(\.size) == contents.keys.sorted().map { Int64(contents[$0]!.count) })
    // And HEAD shows the checksum the store attached; a missing key is nil
    let head = try #require(try await bucket.head("anon/day/clip3.mp4"))
    #expect(head.sha256 == Artifacts.sha256(contents["anon/day/clip3.mp4"]!) && head.size == 100_003)
    #expect(try await bucket.head("anon/day/none.mp4") == nil)
    // And a download streams the bytes to disk with their SHA-256
    let target = work.url.appendingPathComponent("down.mp4")
    let digest = try await bucket.download("anon/day/clip3.mp4", to: target)
    #expect(try Data(contentsOf: target) == contents["anon/day/clip3.mp4"])
    #expect(digest.sha256 == head.sha256 && digest.size == 100_003)
    #expect(try FileManager.default.contentsOfDirectory(atPath: work.url.path).allSatisfy { !$0.contains("partial") })
    // And small objects are read whole; a missing one is nil
    #expect(try await bucket.data("anon/day/clip0.anon.json") != nil)
    #expect(try await bucket.data("anon/day/none.json") == nil)
    // And a deleted key is gone (deleting it again is no error)
    try await bucket.delete("anon/day/clip3.mp4")
    try await bucket.delete("anon/day/clip3.mp4")
    #expect(try await bucket.head("anon/day/clip3.mp4") == nil)
    await #expect(throws: StoreError.self) { try await bucket.download("anon/day/clip3.mp4", to: target) }
  }

  @Test func settingsFromTheEnvironment() throws {
    let settings = try S3Store.Settings.fromEnvironment(bucket: "b", prefix: "p/", environment: [
      "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID": "AKIA1234", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1",
    ])
    #expect(settings.endpoint.absoluteString == "http://127.0.0.1:9000" && settings.addressing == .path)
    #expect(settings.signingRegion == "eu-west-1" && settings.credentials.source == "env:AWS_ACCESS_KEY_ID")
    let aws = try S3Store.Settings.fromEnvironment(bucket: "b", environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "s"])
    #expect(aws.endpoint.absoluteString == "https://s3.us-east-1.amazonaws.com" && aws.addressing == .virtualHost)
    #expect(throws: StoreError.self) { try S3Store.Settings.fromEnvironment(bucket: "b", environment: [:]) }
  }
}
