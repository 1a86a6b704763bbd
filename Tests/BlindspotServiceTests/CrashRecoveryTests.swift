import Blindspot
import BlindspotTestSupport
import Foundation
import GRDB
import Testing

/// Power loss at any moment: SIGKILL the service at seeded random times while it works through
/// a spool, restart it each time, and check invariant 5 when it is done.
@Suite(.timeLimit(.minutes(10))) struct CrashRecoveryTests {
  @Test func killedAtRandomMomentsEverySegmentIsStoredExactlyOnce() throws {
    let fixture = try ServiceFixture(label: "crash")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 4, events: 1)  // 20 segments
    #expect(paths.count == 20)
    let rawDigests = try Dictionary(uniqueKeysWithValues: paths.map { ($0, try sha256(fixture.spool.appendingPathComponent($0))) })
    try fixture.writeConfig(deleteRaw: true)

    var random = SeededGenerator(seed: 20261129)
    var kills = 0
    while kills < 12 {
      let service = try fixture.start()
      Thread.sleep(forTimeInterval: Double.random(in: 0.2...1.5, using: &random))
      guard service.isRunning else { break }  // finished everything before this kill
      kill(service.processIdentifier, SIGKILL)
      service.waitUntilExit()
      kills += 1
      // At every crash: a raw segment is gone only if the store already holds its output.
      for path in paths where !FileManager.default.fileExists(atPath: fixture.spool.appendingPathComponent(path).path) {
        #expect(FileManager.default.fileExists(atPath: fixture.store.appendingPathComponent(path + ".anon.json").path),
                "raw \(path) deleted before its output was stored (after kill \(kills))")
      }
    }
    #expect(kills >= 10, "the spool was finished before ten crashes; make the work longer")

    let final = try fixture.serveOnce()
    #expect(final.status == 0, "\(final.standardError)")

    // Exactly the segments and their sidecars are in the store: nothing twice, nothing partial.
    #expect(fixture.storedFiles() == paths.flatMap { [$0, $0 + ".anon.json"] }.sorted())
    for path in paths {
      let output = fixture.store.appendingPathComponent(path)
      #expect(try Probe.framePresentationTimes(output).count == 12, "\(path) does not decode fully")
      let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
      #expect(sidecar.input.sha256 == rawDigests[path])
      #expect(sidecar.outputSHA256 == (try sha256(output)), "the stored output is not the one its sidecar describes")
    }
    // The journal agrees with the store: every segment stored once, then its raw file deleted.
    let journal = try DatabaseQueue(path: fixture.state.appendingPathComponent("journal.sqlite").path)
    let rows = try journal.read { db in try Row.fetchAll(db, sql: "SELECT path, state, storedAt, rawDeletedAt FROM segment") }
    #expect(Set(rows.map { $0["path"] as String }) == Set(paths))
    for row in rows {
      #expect(row["state"] as String == "raw_deleted", "\(row["path"] as String) ended \(row["state"] as String)")
      let stored: Double? = row["storedAt"], deleted: Double? = row["rawDeletedAt"]
      #expect(stored != nil && deleted != nil && stored! <= deleted!)
    }
    let deliveries = try journal.read { db in try Row.fetchAll(db, sql: "SELECT path, key FROM delivery") }
    #expect(deliveries.count == paths.count)
    #expect(deliveries.allSatisfy { ($0["path"] as String) == ($0["key"] as String) })
    // No raw segment is left, and the outbox holds no partial file.
    let leftovers = FileManager.default.enumerator(atPath: fixture.state.appendingPathComponent("outbox").path)?
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp4") || $0.contains(".partial-") } ?? []
    #expect(leftovers.isEmpty, "left in the outbox: \(leftovers)")
  }
}
