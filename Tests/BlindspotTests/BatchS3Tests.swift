import BlindspotTestSupport
import Foundation
import Testing

@testable import Blindspot
@testable import BlindspotStore

/// `blindspot batch` from an S3 prefix to an S3 output root, against moto.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BatchS3Tests {
  @Test func inputsFromS3AreAnonymizedIntoTheRegionsBucketAndSkippedOnRerun() async throws {
    let work = try Fixtures.scratchDirectory("batch-s3")
    defer { try? FileManager.default.removeItem(at: work) }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    // Given an archive bucket with a TeslaCam minute (two cameras) and an output bucket
    let credentials = S3Credentials(accessKeyID: "AKIATESTTEST", secretAccessKey: "not-checked", source: "test")
    func settings(_ bucket: String) -> S3Store.Settings {
      S3Store.Settings(endpoint: moto.endpoint, bucket: bucket, signingRegion: "us-east-1", addressing: .path, credentials: credentials)
    }
    let archive = S3Store(name: "archive", region: .eu, settings: settings("archive"))
    let anon = S3Store(name: "anon", region: .eu, settings: settings("anon-eu"))
    _ = try await archive.client.send(.PUT, key: nil)
    _ = try await anon.client.send(.PUT, key: nil)
    let names = ["2024-05-01_10-00-00-front.mp4", "2024-05-01_10-00-00-back.mp4"]
    for (index, name) in names.enumerated() {
      let clip = work.appendingPathComponent(name)
      try BatchEndToEndTests.makeClip(clip, seed: index)
      _ = try await archive.putObject(clip, sha256: try FileDigest.of(clip).sha256, key: "TeslaCam/RecentClips/\(name)")
    }
    let environment = ProcessInfo.processInfo.environment.merging([
      "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "AKIATESTTEST", "AWS_SECRET_ACCESS_KEY": "x",
    ]) { $1 }
    let arguments = ["batch", "--input", "s3://archive/TeslaCam/", "--output-root", "s3://anon-eu/anon/", "--region", "eu",
                     "--scratch", work.path, "--quiet"]

    // When the batch runs
    let reportPath = work.appendingPathComponent("report.json")
    let first = try Subprocess.run(Fixtures.cliBinary.path, arguments + ["--report", reportPath.path], environment: environment)
    #expect(first.status == 0, "\(first.standardError)")

    // Then both cameras and their sidecars are in the output bucket, under the archive's layout,
    // and each sidecar names the S3 input and the stored video's checksum
    let report = try ShardReport.decode(Data(contentsOf: reportPath))
    #expect(report.done == ["RecentClips/2024-05-01_10-00-00-*"])
    for name in names {
      let key = "anon/RecentClips/\(name)"
      let video = try #require(try await anon.bucket.head(key))
      let sidecar = try Sidecar.decode(try #require(try await anon.bucket.data(key + ".anon.json")))
      #expect(sidecar.outputSHA256 == video.sha256 && sidecar.region == "eu")
      #expect(sidecar.input.name == "s3://archive/TeslaCam/RecentClips/\(name)")
    }
    // And nothing is left in the scratch folder
    #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).allSatisfy { !$0.hasPrefix("blindspot-batch-") })

    // And each sidecar records the input object's ETag
    for name in names {
      let sidecar = try Sidecar.decode(try #require(try await anon.bucket.data("anon/RecentClips/\(name).anon.json")))
      let input = try #require(try await archive.bucket.head("TeslaCam/RecentClips/\(name)"))
      #expect(!input.etag.isEmpty && sidecar.input.etag == input.etag)
    }

    // And a rerun finds the unit done, stores nothing and downloads no input (HEADs only)
    try moto.startRecording()
    let second = try Subprocess.run(Fixtures.cliBinary.path, arguments + ["--report", reportPath.path], environment: environment)
    #expect(second.status == 0, "\(second.standardError)")
    let rerun = try ShardReport.decode(Data(contentsOf: reportPath))
    #expect(rerun.done.isEmpty && rerun.skipped == ["RecentClips/2024-05-01_10-00-00-*"])
    let requests = try moto.recordedRequests()
    for name in names {
      #expect(requests.contains("HEAD /archive/TeslaCam/RecentClips/\(name)"))
      #expect(!requests.contains("GET /archive/TeslaCam/RecentClips/\(name)"), "the input was downloaded again")
    }
    #expect(!requests.contains { $0.hasPrefix("PUT") || $0.hasPrefix("POST") || $0.hasPrefix("DELETE") }, "\(requests)")

    // And when one camera's object is replaced (new bytes, new ETag), the next run redoes it
    let replaced = work.appendingPathComponent("replaced.mp4")
    try BatchEndToEndTests.makeClip(replaced, seed: 7)
    try await archive.bucket.delete("TeslaCam/RecentClips/\(names[0])")
    _ = try await archive.putObject(replaced, sha256: try FileDigest.of(replaced).sha256, key: "TeslaCam/RecentClips/\(names[0])")
    let third = try Subprocess.run(Fixtures.cliBinary.path, arguments + ["--report", reportPath.path], environment: environment)
    #expect(third.status == 0, "\(third.standardError)")
    #expect(try ShardReport.decode(Data(contentsOf: reportPath)).done == ["RecentClips/2024-05-01_10-00-00-*"])
    let redone = try Sidecar.decode(try #require(try await anon.bucket.data("anon/RecentClips/\(names[0]).anon.json")))
    #expect(redone.input.sha256 == (try FileDigest.of(replaced).sha256))
  }
}
