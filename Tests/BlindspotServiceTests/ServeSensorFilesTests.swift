import Blindspot
import BlindspotStore
import BlindspotTestSupport
import Foundation
import Testing

/// `blindspot serve` with a sensor policy: the anonymized sensor files of a segment reach the
/// stores with its video and leave the outbox with it.
@Suite(.timeLimit(.minutes(10))) struct ServeSensorFilesTests {
  @Test func sensorFilesAreStoredWithTheirSegmentsAndNothingStaysInTheOutbox() throws {
    let fixture = try ServiceFixture(label: "serve-sensor")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 0, events: 1)
    let folder = (paths[0] as NSString).deletingLastPathComponent
    let event = fixture.spool.appendingPathComponent(folder)
    try Data(#"{"timestamp": "2026-11-29T09:00:00", "city": "Paris", "est_lat": "48.858400", "est_lon": "2.294500", "reason": "sentry_aware_object_detection"}"#.utf8)
      .write(to: event.appendingPathComponent("event.json"))
    let front = try #require(paths.first { $0.hasSuffix("-front.mp4") })
    let track = String(front.dropLast(4)) + ".gpx"
    try Self.gpx(points: 60).write(to: fixture.spool.appendingPathComponent(track), atomically: true, encoding: .utf8)
    let policy = fixture.root.appendingPathComponent("policy.yaml")
    try Data("version: 1\n".utf8).write(to: policy)  // defaults: 200 m trip-end truncation
    let moto = try MotoServer.start()
    defer { moto.stop() }
    try moto.createBucket("fleet-eu")
    try fixture.writeConfig(deleteRaw: true, topLevel: "sensor_policy: \(policy.path)", extraStores: ServiceFixture.s3Store(moto))

    let result = try fixture.serveOnce(environment: ServiceFixture.s3Environment)
    #expect(result.status == 0, "\(result.standardError)")

    // Each segment's video, sidecar and embedded-telemetry file; the front camera's track; the
    // event's event.json, once for the four cameras that share it. In both stores of the region.
    let sensorFiles = paths.map { $0 + ".sensor.jsonl" } + [track, folder + "/event.json"]
    let expected = (paths.flatMap { [$0, $0 + ".anon.json"] } + sensorFiles).sorted()
    #expect(fixture.storedFiles() == expected)
    #expect(try s3Keys(moto, bucket: "fleet-eu") == expected.map { "vehicle-7/" + $0 })
    for path in paths {
      let sidecar = try Sidecar.decode(Data(contentsOf: fixture.store.appendingPathComponent(path + ".anon.json")))
      #expect(sidecar.sensorFiles.count == (path == front ? 3 : 2), "\(path)")
      for (name, recorded) in sidecar.sensorFiles {
        #expect(try sha256(fixture.store.appendingPathComponent(folder + "/" + name)) == recorded, "\(name) is not what \(path) recorded")
      }
    }
    let stored = try String(contentsOf: fixture.store.appendingPathComponent(folder + "/event.json"), encoding: .utf8)
    #expect(stored.contains("sentry_aware_object_detection"))
    for secret in ["Paris", "48.8584", "2.2945"] { #expect(!stored.contains(secret), "\(secret) reached the store") }
    let storedTrack = try String(contentsOf: fixture.store.appendingPathComponent(track), encoding: .utf8)
    #expect(storedTrack.contains("<trkpt") && !storedTrack.contains("48.858400"))

    // Once every store holds a segment, nothing of it stays in the outbox, shared files included.
    let outbox = fixture.state.appendingPathComponent("outbox")
    let left = FileManager.default.enumerator(at: outbox, includingPropertiesForKeys: [.isRegularFileKey])?
      .compactMap { $0 as? URL }
      .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
      .map(\.lastPathComponent) ?? []
    #expect(left.isEmpty, "left in the outbox: \(left)")
    // With delete_raw_after: stored, the raw track and event.json go with the raw videos: the
    // stores hold their anonymized copies.
    #expect(try FileManager.default.contentsOfDirectory(atPath: event.path) == [], "raw files left in the spool")
  }

  @Test func withoutAPolicyRawSensorFilesStayInTheSpool() throws {
    let fixture = try ServiceFixture(label: "serve-no-policy")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 0, events: 1)
    let event = fixture.spool.appendingPathComponent((paths[0] as NSString).deletingLastPathComponent)
    try Data(#"{"est_lat": "48.858400", "est_lon": "2.294500"}"#.utf8).write(to: event.appendingPathComponent("event.json"))
    let track = String((paths[0] as NSString).lastPathComponent.dropLast(4)) + ".gpx"
    try Self.gpx(points: 10).write(to: event.appendingPathComponent(track), atomically: true, encoding: .utf8)
    try fixture.writeConfig(deleteRaw: true)

    let result = try fixture.serveOnce()
    #expect(result.status == 0, "\(result.standardError)")
    // The videos are stored, so their raw files go; the sensor files were stored nowhere, so they stay.
    #expect(fixture.storedFiles() == paths.flatMap { [$0, $0 + ".anon.json"] }.sorted())
    #expect(try FileManager.default.contentsOfDirectory(atPath: event.path).sorted() == ["event.json", track].sorted())
  }

  /// A GPX track of `points` one-second fixes heading north from the Eiffel Tower.
  static func gpx(points: Int) -> String {
    let start = Date(timeIntervalSince1970: 1_764_406_800)
    let formatter = ISO8601DateFormatter()
    let fixes = (0..<points).map { second in
      let latitude = String(format: "%.6f", 48.8584 + Double(second) * 0.0004)
      return #"<trkpt lat="\#(latitude)" lon="2.294500"><time>\#(formatter.string(from: start.addingTimeInterval(Double(second))))</time></trkpt>"#
    }
    return #"<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test"><trk><trkseg>"#
      + fixes.joined() + "</trkseg></trk></gpx>\n"
  }
}

extension ServeSensorFilesTests {
  /// While the store is down every camera of an event waits anonymized in the outbox; when it is
  /// back, the first camera stored must not take the event.json the others still need with it.
  @Test func aSharedSensorFileStaysUntilTheLastSegmentThatNeedsItIsStored() throws {
    let fixture = try ServiceFixture(label: "serve-shared")
    defer { fixture.remove() }
    let paths = try fixture.makeSpool(minutes: 0, events: 1)
    let folder = (paths[0] as NSString).deletingLastPathComponent
    try Data(#"{"timestamp": "2026-11-29T09:00:00", "est_lat": "48.858400", "est_lon": "2.294500"}"#.utf8)
      .write(to: fixture.spool.appendingPathComponent(folder + "/event.json"))
    let policy = fixture.root.appendingPathComponent("policy.yaml")
    try Data("version: 1\n".utf8).write(to: policy)
    try fixture.writeConfig(topLevel: "sensor_policy: \(policy.path)")
    try Data("not a folder".utf8).write(to: fixture.store)  // the store cannot take anything

    let down = try fixture.serveOnce()
    #expect(fixture.storedFiles().isEmpty, "\(down.standardError)")
    #expect(FileManager.default.fileExists(atPath: fixture.state.appendingPathComponent("outbox/\(folder)/event.json").path))

    try FileManager.default.removeItem(at: fixture.store)
    Thread.sleep(forTimeInterval: 2.5)  // the first retry waits 0.5–1 s
    let back = try fixture.serveOnce()
    #expect(back.status == 0, "\(back.standardError)")
    #expect(!back.standardError.contains("anonymizing again"), "a segment lost its staged files: \(back.standardError)")
    #expect(fixture.storedFiles().filter { $0.hasSuffix(".mp4") } == paths.sorted())
    #expect(fixture.storedFiles().contains(folder + "/event.json"))
    #expect(!FileManager.default.fileExists(atPath: fixture.state.appendingPathComponent("outbox/\(folder)/event.json").path))
  }
}
