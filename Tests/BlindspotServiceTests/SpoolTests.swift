@testable import BlindspotService
import BlindspotTestSupport
import Foundation
import Testing

/// Which files are segments, how they group, and when a file counts as complete.
@Suite struct SpoolTests {
  let tesla = SpoolLayout(settings: SpoolSettings(directory: URL(fileURLWithPath: "/spool")))

  @Test func teslaCamerasOfOneMinuteFormOneGroupAndEventsComeFirst() throws {
    let front = try #require(tesla.segment(at: "TeslaCam/SavedClips/2026-11-02_08-14-03/2026-11-02_08-10-00-front.mp4"))
    let pillar = try #require(tesla.segment(at: "TeslaCam/SavedClips/2026-11-02_08-14-03/2026-11-02_08-10-00-left_pillar.mp4"))
    let recent = try #require(tesla.segment(at: "TeslaCam/RecentClips/2026-11-02_08-10-00-front.mp4"))
    let sentry = try #require(tesla.segment(at: "SentryClips/2026-11-02_09-00-00/2026-11-02_08-59-00-back.mp4"))
    #expect(front.group == pillar.group)
    #expect(front.group != recent.group, "the same minute in another folder is another group")
    #expect(front.priority == .event && sentry.priority == .event && recent.priority == .rolling)
    #expect(SpoolSegment.Priority.event < .rolling)
  }

  @Test(arguments: [
    "TeslaCam/SavedClips/2026-11-02_08-14-03/event.json",
    "TeslaCam/SavedClips/2026-11-02_08-14-03/thumb.png",
    "TeslaCam/RecentClips/2026-11-02_08-10-00-dashboard.mp4",
    "TeslaCam/RecentClips/2026-11-02_8-10-00-front.mp4",
    "TeslaCam/RecentClips/.2026-11-02_08-10-00-front.mp4.partial-x",
    "TeslaCam/TeslaTrackMode/2026-11-02_08-10-00-front.mp4",
    "2026-11-02_08-10-00-front.mp4",
  ])
  func otherFilesAreNotSegments(path: String) {
    #expect(tesla.segment(at: path) == nil)
  }

  @Test func genericLayoutTakesWhatItsPatternsMatchEachOnItsOwn() {
    let generic = SpoolLayout(settings: SpoolSettings(directory: URL(fileURLWithPath: "/spool"), layout: .generic,
                                                      include: ["*.ts", "cam?_*.mp4"]))
    #expect(generic.segment(at: "a/b/seg001.ts")?.group == "a/b/seg001.ts")
    #expect(generic.segment(at: "cam1_0001.mp4") != nil)
    #expect(generic.segment(at: "camera_0001.mp4") == nil)
    #expect(generic.segment(at: "a/.hidden/seg.ts") == nil)
  }

  @Test func aSegmentIsTakenOnlyOnceItStopsChanging() throws {
    let root = try Fixtures.scratchDirectory("scanner")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("TeslaCam/RecentClips")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("2026-11-02_08-10-00-front.mp4")
    try Data(repeating: 1, count: 100).write(to: file)
    // The polling rule on its own (the kernel's close notices are the next test's subject).
    let scanner = SpoolScanner(layout: SpoolLayout(settings: SpoolSettings(directory: root, settle: .seconds(2))), useInotify: false)
    let now = Date()
    #expect(scanner.scan(now: now).complete.isEmpty, "first sight: the size has no history yet")
    #expect(scanner.scan(now: now).complete.isEmpty, "unchanged, but modified less than 2 s ago")
    let later = now.addingTimeInterval(3)
    let found = scanner.scan(now: later)
    #expect(found.complete.map(\.segment.path) == ["TeslaCam/RecentClips/2026-11-02_08-10-00-front.mp4"])
    #expect(found.complete.first?.bytes == 100 && found.spoolBytes == 100)
    // The recorder appends again: not complete until the size holds still once more.
    let handle = try FileHandle(forWritingTo: file)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(repeating: 2, count: 50))
    try handle.close()
    #expect(scanner.scan(now: later.addingTimeInterval(10)).complete.isEmpty)
    #expect(scanner.scan(now: later.addingTimeInterval(10)).complete.first?.bytes == 150)
  }

  @Test func aClosedSegmentIsTakenAtOnceWhereTheKernelSaysSo() throws {
    let root = try Fixtures.scratchDirectory("inotify")
    defer { try? FileManager.default.removeItem(at: root) }
    let settings = SpoolSettings(directory: root, settle: .seconds(3600))
    let watching = SpoolScanner(layout: SpoolLayout(settings: settings))
    var polling = settings
    polling.inotify = false
    let pollingOnly = SpoolScanner(layout: SpoolLayout(settings: polling), useInotify: false)
    #expect(watching.isWatching, "inotify is available on Linux")
    // The recorder makes the event folder after the watch started, then writes and closes a segment.
    let folder = root.appendingPathComponent("TeslaCam/SavedClips/2026-11-02_08-14-03")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    _ = watching.scan()  // picks up the new folders
    let file = folder.appendingPathComponent("2026-11-02_08-14-03-front.mp4")
    #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
    let handle = try FileHandle(forWritingTo: file)
    try handle.write(contentsOf: Data(repeating: 7, count: 4096))
    #expect(watching.scan().complete.isEmpty, "still open for writing")
    try handle.close()
    #expect(watching.scan().complete.map(\.segment.path) == ["TeslaCam/SavedClips/2026-11-02_08-14-03/2026-11-02_08-14-03-front.mp4"])
    #expect(pollingOnly.scan().complete.isEmpty && pollingOnly.scan().complete.isEmpty,
            "without the notice, an hour's settle time applies")
  }
}
