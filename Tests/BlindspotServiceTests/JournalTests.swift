import BlindspotService
import BlindspotTestSupport
import Foundation
import Testing

/// The journal's state machine, on a real SQLite file.
@Suite struct JournalTests {
  func segment(_ path: String, priority: SpoolSegment.Priority = .rolling) -> (segment: SpoolSegment, bytes: Int64) {
    (SpoolSegment(path: path, group: String(path.prefix(3)), priority: priority), 1000)
  }

  @Test func discoveryIsIdempotentAndSurvivesReopening() throws {
    let root = try Fixtures.scratchDirectory("journal")
    defer { try? FileManager.default.removeItem(at: root) }
    let url = root.appendingPathComponent("state/journal.sqlite")
    do {
      let journal = try Journal(url: url)
      #expect(try journal.discover([segment("r1/a"), segment("r1/b")]) == 2)
      #expect(try journal.discover([segment("r1/a"), segment("r2/c")]) == 1)
      try journal.markAnonymized("r1/a", inputSHA256: "in", outputSHA256: "out", frames: 12)
    }
    let reopened = try Journal(url: url)
    #expect(try reopened.segment("r1/a")?.state == .anonymized)
    #expect(try reopened.segment("r1/a")?.frames == 12)
    #expect(try reopened.counts()[.discovered] == 2)
  }

  @Test func eventsAreDueBeforeTheRollingBufferAndRetriesWait() throws {
    let root = try Fixtures.scratchDirectory("journal")
    defer { try? FileManager.default.removeItem(at: root) }
    let journal = try Journal(url: root.appendingPathComponent("journal.sqlite"))
    try journal.discover([segment("r1/old"), segment("e1/event", priority: .event), segment("r2/new")])
    #expect(try journal.due().map(\.path) == ["e1/event", "r1/old", "r2/new"])
    let now = Date()
    try journal.markRetry("e1/event", reason: "store unreachable", delay: 60, at: now)
    #expect(try journal.due(at: now).map(\.path) == ["r1/old", "r2/new"])
    #expect(try journal.due(at: now.addingTimeInterval(61)).first?.path == "e1/event")
    #expect(try journal.segment("e1/event")?.attempts == 1)
  }

  /// What decides whether a file an event's cameras share may go: another segment of the same
  /// folder, and only that folder (not a subfolder, not a folder whose name merely starts alike),
  /// still to be anonymized or stored. Folder names need not be ASCII.
  @Test func anOpenSegmentIsLookedForInItsOwnFolderOnly() throws {
    let root = try Fixtures.scratchDirectory("journal")
    defer { try? FileManager.default.removeItem(at: root) }
    let journal = try Journal(url: root.appendingPathComponent("journal.sqlite"))
    let folder = "Événements/2026-11-29_09-00-00"
    try journal.discover([segment("\(folder)/front.mp4"), segment("\(folder)/back.mp4"),
                          segment("\(folder)-2/left.mp4"), segment("\(folder)/sub/right.mp4")])
    #expect(try journal.hasOpenSegment(in: folder, otherThan: "\(folder)/front.mp4"))
    try journal.mark("\(folder)/back.mp4", .failed, reason: "test")
    #expect(try !journal.hasOpenSegment(in: folder, otherThan: "\(folder)/front.mp4"))
    #expect(try journal.hasOpenSegment(in: "\(folder)-2", otherThan: "\(folder)/front.mp4"))
    #expect(try !journal.hasOpenSegment(in: "", otherThan: "\(folder)/front.mp4"))
  }

  @Test func aSegmentIsStoredOnlyWhenEveryStoreHoldsIt() throws {
    let root = try Fixtures.scratchDirectory("journal")
    defer { try? FileManager.default.removeItem(at: root) }
    let journal = try Journal(url: root.appendingPathComponent("journal.sqlite"))
    try journal.discover([segment("r1/a")])
    try journal.markAnonymized("r1/a", inputSHA256: nil, outputSHA256: "out", frames: 1)
    let stores: Set<String> = ["outbox", "s3-eu"]
    try journal.recordDelivery("r1/a", store: "outbox", key: "r1/a", bytes: 10, allStores: stores)
    #expect(try journal.segment("r1/a")?.state == .anonymized)
    try journal.recordDelivery("r1/a", store: "outbox", key: "r1/a", bytes: 10, allStores: stores)  // a replay after a crash
    #expect(try journal.deliveries(of: "r1/a").count == 1)
    try journal.recordDelivery("r1/a", store: "s3-eu", key: "r1/a", bytes: 10, allStores: stores)
    #expect(try journal.segment("r1/a")?.state == .stored)
    try journal.markRawDeleted("r1/a")
    let record = try #require(try journal.segment("r1/a"))
    #expect(record.state == .rawDeleted)
    #expect(try #require(record.storedAt) <= (try #require(record.rawDeletedAt)))
  }

  @Test func aSegmentThatKeepsLosingItsOutputEndsFailed() throws {
    let root = try Fixtures.scratchDirectory("journal")
    defer { try? FileManager.default.removeItem(at: root) }
    let journal = try Journal(url: root.appendingPathComponent("journal.sqlite"))
    try journal.discover([segment("r1/a")])
    for attempt in 1...3 {
      try journal.markAnonymized("r1/a", inputSHA256: nil, outputSHA256: "out", frames: 1)
      try journal.restart("r1/a", reason: "staged output missing", delay: 0, maxAttempts: 3)
      #expect(try journal.segment("r1/a")?.state == (attempt < 3 ? .discovered : .failed))
    }
  }

  @Test func backlogCountsOnlyWhatWaits() throws {
    let root = try Fixtures.scratchDirectory("journal")
    defer { try? FileManager.default.removeItem(at: root) }
    let journal = try Journal(url: root.appendingPathComponent("journal.sqlite"))
    try journal.discover([segment("r1/a"), segment("r1/b"), segment("e1/c", priority: .event)])
    try journal.markAnonymized("r1/a", inputSHA256: nil, outputSHA256: "out", frames: 1)
    let backlog = try journal.backlogBytes()
    #expect(backlog[.rolling] == 1000 && backlog[.event] == 1000)
    #expect(try journal.oldestWaitingRolling(limit: 5).map(\.path) == ["r1/b"])
  }
}
