import Blindspot
import BlindspotSensor
import BlindspotStore
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// Telemetry embedded in H.264 frames the way Tesla dashcams embed it: one SEI "user data
/// unregistered" message per frame carrying a protobuf with the car's exact position.
@Suite(.timeLimit(.minutes(5))) struct EmbeddedTelemetryTests {
  let scratch: URL
  let clip: URL
  /// The exact positions written into the frames: a drive 30 m a frame north-east from "home".
  let positions: [(latitude: Double, longitude: Double)] = (0..<60).map { step -> (latitude: Double, longitude: Double) in
    let n = Double(step)
    return (latitude: 48.137154 + n * 0.00027, longitude: 11.576124 + n * 0.0002)
  }

  init() throws {
    scratch = try Fixtures.scratchDirectory("sei")
    clip = scratch.appendingPathComponent("tesla-front.mp4")
    let raw = scratch.appendingPathComponent("plain.h264")
    try Subprocess.ffmpeg(["-loop", "1", "-framerate", "15", "-i", Fixtures.asset("astronaut.png").path, "-vf", "scale=320:320,format=yuv420p",
                           "-frames:v", "60", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-f", "h264", raw.path])
    let payloads = positions.enumerated().map { index, position -> [UInt8] in
      var message = TeslaSEI.Message()
      message.version = 1
      message.frameSequence = UInt64(index)
      message.speed = 25
      message.gear = .drive
      message.latitude = position.latitude
      message.longitude = position.longitude
      message.heading = 37
      return TeslaSEI.marker + TeslaSEI.encodeMessage(message)
    }
    try Self.insertSEI(payloads, into: raw, writing: scratch.appendingPathComponent("tesla.h264"))
    try Subprocess.ffmpeg(["-f", "h264", "-framerate", "15", "-i", scratch.appendingPathComponent("tesla.h264").path, "-c", "copy", clip.path])
  }

  /// Puts one SEI NAL unit (payload type 5) before the first slice of every frame of an Annex B stream.
  static func insertSEI(_ payloads: [[UInt8]], into input: URL, writing output: URL) throws {
    let bytes = [UInt8](try Data(contentsOf: input))
    var starts: [Int] = []  // offsets of NAL headers, after their start codes
    var index = 0
    while index + 3 < bytes.count {
      if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 { starts.append(index + 3); index += 3 } else { index += 1 }
    }
    var result: [UInt8] = [], frame = 0
    for (n, start) in starts.enumerated() {
      var end = n + 1 < starts.count ? starts[n + 1] - 3 : bytes.count
      if end > start, bytes[end - 1] == 0 { end -= 1 }  // a four-byte start code's leading zero
      let nal = Array(bytes[start..<end]), type = nal[0] & 0x1F
      if (type == 1 || type == 5), nal.count > 1, nal[1] & 0x80 != 0, frame < payloads.count {  // first_mb_in_slice == 0
        var sei: [UInt8] = [5]
        var size = payloads[frame].count
        while size >= 255 { sei.append(255); size -= 255 }
        sei += [UInt8(size)] + payloads[frame] + [0x80]
        result += [0, 0, 0, 1, 0x06] + TeslaSEI.addEmulationPrevention(sei)
        frame += 1
      }
      result += [0, 0, 0, 1] + nal
    }
    guard frame == payloads.count else { throw FixtureError("placed \(frame) of \(payloads.count) SEI messages") }
    try Data(result).write(to: output)
  }

  /// True when any byte sequence of `data` spells one of the exact positions, as text or as doubles.
  func containsExactPosition(_ data: Data) -> Bool {
    positions.contains { position in
      [position.latitude, position.longitude].contains { value in
        let text = String(format: "%.6f", value)
        var raw = value.bitPattern.littleEndian
        let rawBytes = withUnsafeBytes(of: &raw) { Data($0) }
        return data.range(of: Data(text.utf8)) != nil || data.range(of: rawBytes) != nil
      }
    }
  }

  @Test func theFixtureReallyCarriesTheExactPositions() throws {
    #expect(containsExactPosition(try Data(contentsOf: clip)))
  }

  @Test func withoutAPolicyEmbeddedTelemetryIsDroppedAndCounted() throws {
    let output = scratch.appendingPathComponent("out.mp4")
    let sidecar = try anonymize(clip, to: output)
    #expect(sidecar.embeddedData.teslaMessages == 60)
    #expect(!sidecar.embeddedData.policyApplied)
    #expect(!containsExactPosition(try Data(contentsOf: output)))
    #expect(!containsExactPosition(try Data(contentsOf: Sidecar.url(for: output))))
    #expect(!FileManager.default.fileExists(atPath: output.path + ".sensor.jsonl"))
  }

  @Test func withAPolicyTheTelemetryLeavesAnonymizedBesideTheVideo() throws {
    let policyURL = scratch.appendingPathComponent("policy.yaml")
    try Data("""
      version: 1
      truncate: {metres: 300}
      coarsen: {grid_m: 500}
      """.utf8).write(to: policyURL)
    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([clip.path, "-o", output.path, "--sensor-policy", policyURL.path, "--quiet"])
    #expect(result.status == 0, "\(result.standardError)")
    let sensor = URL(fileURLWithPath: output.path + ".sensor.jsonl")
    let lines = try String(contentsOf: sensor, encoding: .utf8).split(separator: "\n")
    // 60 samples 30 m apart: the first and last 300 m are cut, the middle stays, on a 500 m grid.
    #expect(lines.count > 20 && lines.count < 50, "\(lines.count) samples kept")
    #expect(!containsExactPosition(try Data(contentsOf: sensor)))
    #expect(!containsExactPosition(try Data(contentsOf: output)))
    let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
    #expect(sidecar.embeddedData.policyApplied && sidecar.embeddedData.report?.samplesIn == 60)
    #expect(sidecar.embeddedData.report?.samplesOut == lines.count)
  }

  @Test func aBadPolicyIsAOneLineUsageError() throws {
    let policyURL = scratch.appendingPathComponent("bad.yaml")
    try Data("version: 1\ntruncate: {kilometres: 3}\n".utf8).write(to: policyURL)
    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([clip.path, "-o", output.path, "--sensor-policy", policyURL.path, "--quiet"])
    #expect(result.status == 1)
    #expect(result.standardError.split(separator: "\n").count == 1)
    #expect(result.standardError.contains("bad.yaml"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
}

/// NMEA sentences in an MP4 timed-text (subtitle) track, as some dashcams write their GPS.
@Suite(.timeLimit(.minutes(5))) struct SubtitleTelemetryTests {
  @Test func nmeaInASubtitleTrackIsDroppedOrAnonymizedByPolicy() throws {
    let scratch = try Fixtures.scratchDirectory("nmea-track")
    defer { try? FileManager.default.removeItem(at: scratch) }
    // A 40-second drive, one fix a second, 50 m apart, written as NMEA by the sensor module.
    let start = Date(timeIntervalSince1970: 1_764_000_000)
    let text = TextOutput()
    let writer = NMEAWriter(output: text)
    for second in 0..<40 {
      let sample = SensorSample(timestamp: start.addingTimeInterval(Double(second)),
                                coordinate: Coordinate(latitude: 52.520008 + Double(second) * 0.00045, longitude: 13.404954),
                                speed: 14, heading: 0)
      try writer.write(sample, trip: 0)
    }
    try writer.finish()
    let sentences = String(decoding: text.data, as: UTF8.self).split(whereSeparator: \.isNewline)
    // One subtitle cue a second carrying that second's sentences.
    var srt = ""
    for second in 0..<40 {
      let mine = sentences.enumerated().filter { $0.offset * 40 / sentences.count == second }.map(\.element)
      srt += "\(second + 1)\n00:00:\(String(format: "%02d", second)),000 --> 00:00:\(String(format: "%02d", second)),900\n"
        + mine.joined(separator: "\n") + "\n\n"
    }
    let srtURL = scratch.appendingPathComponent("gps.srt")
    try Data(srt.utf8).write(to: srtURL)
    let clip = scratch.appendingPathComponent("dashcam.mp4")
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=5", "-i", srtURL.path, "-t", "40", "-map", "0:v", "-map", "1:s",
                           "-c:v", "libx264", "-preset", "ultrafast", "-c:s", "mov_text", clip.path])
    #expect(try Probe(clip).streams.contains { $0["codec_name"] as? String == "mov_text" })

    // Without a policy: the track is dropped like every other non-video stream.
    let plain = scratch.appendingPathComponent("plain.mp4")
    let dropped = try blindspot([clip.path, "-o", plain.path, "--quiet", "--classes", "face"])
    #expect(dropped.status == 0, "\(dropped.standardError)")
    #expect(try Probe(plain).streams.count == 1)
    #expect(!FileManager.default.fileExists(atPath: plain.path + ".sensor.jsonl"))

    // With one: its fixes go through the policy into the sensor output.
    let policy = scratch.appendingPathComponent("policy.yaml")
    try Data("version: 1\ntruncate: {metres: 200}\ncoarsen: {grid_m: 250}\n".utf8).write(to: policy)
    let output = scratch.appendingPathComponent("out.mp4")
    let result = try blindspot([clip.path, "-o", output.path, "--quiet", "--classes", "face", "--sensor-policy", policy.path])
    #expect(result.status == 0, "\(result.standardError)")
    let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
    #expect(sidecar.embeddedData.subtitlePackets >= 30)
    #expect(sidecar.embeddedData.report?.samplesIn == 40)
    let kept = try String(contentsOf: URL(fileURLWithPath: output.path + ".sensor.jsonl"), encoding: .utf8).split(separator: "\n")
    // 40 fixes over 2 km: 200 m cut at each end leaves the middle.
    #expect(kept.count > 20 && kept.count < 40, "\(kept.count)")
    #expect(!kept.joined().contains("52.520008"))
  }
}

/// Sensor files beside a clip: a GPX track with the clip's name and a TeslaCam `event.json`.
@Suite(.timeLimit(.minutes(5))) struct CompanionFileTests {
  let scratch: URL
  let event: URL
  let outputs: URL

  init() throws {
    scratch = try Fixtures.scratchDirectory("companions")
    event = scratch.appendingPathComponent("SavedClips/2026-11-02_08-14-03")
    outputs = scratch.appendingPathComponent("anon")
    try FileManager.default.createDirectory(at: event, withIntermediateDirectories: true)
    let clip = event.appendingPathComponent("2026-11-02_08-14-03-front.mp4")
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=5", "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", clip.path])
    try Data(#"{"timestamp": "2026-11-02T08:14:03", "city": "Munich", "est_lat": "48.137154", "est_lon": "11.576124", "reason": "user_interaction_honk", "camera": "0"}"#.utf8)
      .write(to: event.appendingPathComponent("event.json"))
    let text = TextOutput()
    let writer = GPXWriter(output: text)
    for second in 0..<60 {
      try writer.write(SensorSample(timestamp: Date(timeIntervalSince1970: 1_764_000_000 + Double(second)),
                                    coordinate: Coordinate(latitude: 48.137154 + Double(second) * 0.0004, longitude: 11.576124)), trip: 0)
    }
    try writer.finish()
    try text.data.write(to: event.appendingPathComponent("2026-11-02_08-14-03-front.gpx"))
  }

  @Test func withoutAPolicyCompanionsAreLeftBehindAndListed() throws {
    let result = try blindspot([scratch.appendingPathComponent("SavedClips").path, "-o", outputs.path, "--quiet", "--classes", "face"])
    #expect(result.status == 0, "\(result.standardError)")
    let sidecarURL = outputs.appendingPathComponent("2026-11-02_08-14-03/2026-11-02_08-14-03-front.mp4.anon.json")
    let sidecar = try Sidecar.decode(Data(contentsOf: sidecarURL))
    #expect(Set(sidecar.companions.map(\.input)) == ["2026-11-02_08-14-03-front.gpx", "event.json"])
    #expect(sidecar.companions.allSatisfy { $0.output == nil })
    #expect(filesUnder(outputs).allSatisfy { $0.hasSuffix(".mp4") || $0.hasSuffix(".anon.json") })
  }

  @Test func withAPolicyTheyAreAnonymizedBesideTheOutput() throws {
    let policy = scratch.appendingPathComponent("policy.yaml")
    try Data("version: 1\n".utf8).write(to: policy)  // defaults: 200 m trip-end truncation
    let result = try blindspot([scratch.appendingPathComponent("SavedClips").path, "-o", outputs.path, "--quiet", "--classes", "face",
                                "--sensor-policy", policy.path])
    #expect(result.status == 0, "\(result.standardError)")
    let folder = outputs.appendingPathComponent("2026-11-02_08-14-03")
    let event = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("event.json"))) as? [String: Any])
    #expect(event["reason"] as? String == "user_interaction_honk")
    #expect(event["city"] == nil && event["est_lat"] == nil && event["est_lon"] == nil)  // a lone point is a trip's end
    let track = try String(contentsOf: folder.appendingPathComponent("2026-11-02_08-14-03-front.gpx"), encoding: .utf8)
    #expect(track.contains("<trkpt"))
    #expect(!track.contains("48.137154"))

    // The sidecar names every sensor file with the sha256 it was committed with, so a store can
    // take them with the video and refuse them if they change.
    let output = folder.appendingPathComponent("2026-11-02_08-14-03-front.mp4")
    let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
    let files = sidecar.sensorFiles
    #expect(files.map(\.name).sorted() == ["2026-11-02_08-14-03-front.gpx", "2026-11-02_08-14-03-front.mp4.sensor.jsonl", "event.json"])
    for (name, sha256) in files {
      #expect(sha256 == (try FileDigest.of(folder.appendingPathComponent(name)).sha256), "\(name)")
    }
    #expect(sidecar.companions.first { $0.input.hasSuffix(".gpx") }?.report?.samplesIn == 60)
    let job = AnonymizeJob.file(self.event.appendingPathComponent("2026-11-02_08-14-03-front.mp4"), output: output)
    let artifact = try AnonymizedArtifact.finished(job, sidecar: sidecar, region: .eu, key: "event/front.mp4")
    #expect(artifact.attachments.map(\.key).sorted() == files.map { "event/" + $0.name }.sorted())

    // A sensor file changed after the run, or one an older sidecar recorded no sha256 for, is refused.
    var older = sidecar
    older.companions = older.companions.map { var companion = $0; companion.sha256 = nil; return companion }
    #expect(throws: BlindspotError.self) { try AnonymizedArtifact.finished(job, sidecar: older, region: .eu) }
    try Data(track.replacingOccurrences(of: "<trkpt", with: "<trkpt ").utf8).write(to: folder.appendingPathComponent("2026-11-02_08-14-03-front.gpx"))
    let refused = #expect(throws: BlindspotError.self) { try AnonymizedArtifact.finished(job, sidecar: sidecar, region: .eu) }
    #expect(refused?.status == .badInput)
  }
}
