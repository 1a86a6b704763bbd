import Blindspot
import BlindspotStore
import BlindspotTestSupport
import Foundation
import GRDB
import Testing

/// `blindspot serve --once` on a TeslaCam spool into a local outbox and a real S3 server.
@Suite(.timeLimit(.minutes(10))) struct ServeEndToEndTests {
  @Test func aSpoolEndsUpAnonymizedInBothStoresOfTheRegionEventsFirst() throws {
    let fixture = try ServiceFixture(label: "serve-e2e")
    defer { fixture.remove() }
    let moto = try MotoServer.start()
    defer { moto.stop() }
    try moto.createBucket("fleet-eu")
    let paths = try fixture.makeSpool(minutes: 1, events: 1)
    let rawDigests = try Dictionary(uniqueKeysWithValues: paths.map { ($0, try sha256(fixture.spool.appendingPathComponent($0))) })
    try fixture.writeConfig(deleteRaw: true, extraStores: ServiceFixture.s3Store(moto))
    let result = try fixture.serveOnce(environment: ServiceFixture.s3Environment)
    #expect(result.status == 0, "\(result.standardError)")

    // The local store holds every segment and its sidecar, under the spool-relative key.
    #expect(fixture.storedFiles() == paths.flatMap { [$0, $0 + ".anon.json"] }.sorted())
    for path in paths {
      let output = fixture.store.appendingPathComponent(path)
      #expect(try Probe.framePresentationTimes(output).count == 12, "\(path) does not decode fully")
      let tags = try Probe(output).allTags
      #expect(tags["make"] == nil && tags["location"] == nil, "identifying tags survived in \(path)")
      let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
      #expect(sidecar.input.sha256 == rawDigests[path], "the sidecar names another input")
      #expect(sidecar.region == "eu")
      #expect(FileManager.default.fileExists(atPath: fixture.spool.appendingPathComponent(path).path) == false,
              "delete_raw_after: stored, yet the raw segment is still there")
    }
    // The S3 store holds the same objects under its prefix.
    let listed = try s3Keys(moto, bucket: "fleet-eu")
    #expect(listed == paths.flatMap { ["vehicle-7/\($0)", "vehicle-7/\($0).anon.json"] }.sorted())

    // The journal agrees, and the event was anonymized before the rolling buffer.
    let journal = try DatabaseQueue(path: fixture.state.appendingPathComponent("journal.sqlite").path)
    let rows = try journal.read { db in
      try Row.fetchAll(db, sql: "SELECT path, state, anonymizedAt FROM segment ORDER BY anonymizedAt")
    }
    #expect(rows.count == paths.count)
    #expect(rows.allSatisfy { $0["state"] == "raw_deleted" })
    let firstRolling = try #require(rows.firstIndex { ($0["path"] as String).contains("RecentClips") })
    #expect(rows[..<firstRolling].count == 4, "all four event cameras go before the rolling buffer")
    let deliveries = try journal.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery") }
    #expect(deliveries == paths.count * 2)
    // Nothing is left in the outbox once every store has it.
    let staged = FileManager.default.enumerator(atPath: fixture.state.appendingPathComponent("outbox").path)?
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp4") } ?? []
    #expect(staged.isEmpty, "staged outputs left behind: \(staged)")
  }

  @Test func overTheBacklogBudgetTheOldestRollingSegmentsAreSkippedNeverEvents() throws {
    let fixture = try ServiceFixture(label: "serve-budget")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 2, events: 1)
    let bytes = try paths.map { try FileManager.default.attributesOfItem(atPath: fixture.spool.appendingPathComponent($0).path)[.size] as! Int }
    // Room for the event's four cameras and two more: the oldest rolling minute must go.
    let budget = Double(bytes.reduce(0, +) - bytes[0] - bytes[1] - bytes[2]) / 1_073_741_824
    try fixture.writeConfig(budgetGiB: budget)
    let result = try fixture.serveOnce()
    #expect(result.status == 0, "\(result.standardError)")
    let stored = Set(fixture.storedFiles())
    for path in paths where path.contains("SavedClips") { #expect(stored.contains(path), "an event clip was skipped") }
    let skipped = paths.filter { $0.contains("RecentClips") && !stored.contains($0) }
    #expect(skipped.count >= 3 && skipped.count <= 4, "skipped: \(skipped)")
    #expect(skipped.allSatisfy { $0.contains("08-00-00") }, "the oldest minute goes first: \(skipped)")
    #expect(result.standardError.contains("backlog over budget"))
    for path in skipped { #expect(FileManager.default.fileExists(atPath: fixture.spool.appendingPathComponent(path).path), "skipping never deletes") }
  }

  @Test func jsonLogsAreOneObjectPerLineWithoutCoordinatesOrSecrets() throws {
    let fixture = try ServiceFixture(label: "serve-logs")
    defer { fixture.remove() }
    try fixture.makeSpool(minutes: 1)  // the clips carry a location tag, +48.8584+002.2945
    try fixture.writeConfig(topLevel: "log: {format: json, level: debug}")
    let result = try fixture.serveOnce()
    #expect(result.status == 0, "\(result.standardError)")
    let lines = result.standardError.split(separator: "\n")
    #expect(lines.count >= 8, "start, four anonymized, four stored, stop")
    for line in lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
      #expect(object["level"] != nil && object["message"] != nil && object["time"] != nil)
    }
    for secret in ["48.8584", "2.2945", "+48"] { #expect(!result.standardError.contains(secret), "\(secret) leaked into the logs") }
    #expect(result.standardError.contains(#""message":"stored""#))
  }

  @Test func aCorruptSegmentIsRecordedAndTheOthersGoOn() throws {
    let fixture = try ServiceFixture(label: "serve-corrupt")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 1)
    let broken = fixture.spool.appendingPathComponent(paths[1])
    let bytes = try Data(contentsOf: broken)
    try bytes.prefix(bytes.count / 3).write(to: broken)  // truncated mid-stream, its index lost
    try fixture.writeConfig()
    let result = try fixture.serveOnce()
    #expect(result.status == 2, "a failed segment makes a --once run exit 2: \(result.standardError)")
    #expect(result.standardError.contains(paths[1]))
    let stored = Set(fixture.storedFiles())
    for path in paths where path != paths[1] { #expect(stored.contains(path)) }
    #expect(!stored.contains(paths[1]))
    #expect(FileManager.default.fileExists(atPath: broken.path), "a segment that failed is kept, never deleted")
  }
}

func sha256(_ url: URL) throws -> String { try FileDigest.of(url).sha256 }

/// Every key in `bucket`, via boto3 (moto's own dependency), sorted.
func s3Keys(_ moto: MotoServer, bucket: String) throws -> [String] {
  let script = """
    import sys, boto3
    s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[2]):
        for item in page.get("Contents", []):
            print(item["Key"])
    """
  let result = try Subprocess.run("python3", ["-c", script, moto.endpoint.absoluteString, bucket])
  guard result.status == 0 else { throw FixtureError("listing failed: \(result.standardError)") }
  return result.output.split(separator: "\n").map(String.init).sorted()
}
