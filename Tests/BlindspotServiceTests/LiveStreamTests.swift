import Blindspot
import BlindspotTestSupport
import Foundation
import Testing

/// A live source (MPEG-TS through a FIFO, as a camera process would hand it over) anonymized
/// continuously into segments, across a source that goes away and comes back.
@Suite(.timeLimit(.minutes(5))) struct LiveStreamTests {
  /// Streams `seconds` of a photo at 12 fps, a keyframe every second, in real time into `fifo`.
  func camera(_ fifo: URL, seconds: Int) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-re", "-loop", "1", "-framerate", "12",
                         "-i", try Fixtures.asset("astronaut.png").path, "-vf", "scale=160:120,format=yuv420p",
                         "-t", "\(seconds)", "-c:v", "libx264", "-preset", "ultrafast", "-g", "12", "-f", "mpegts", fifo.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  @Test func aStreamIsCutIntoAnonymizedSegmentsAndSurvivesTheSourceDropping() async throws {
    let fixture = try ServiceFixture(label: "live")
    defer { fixture.remove() }
    try FileManager.default.createDirectory(at: fixture.spool, withIntermediateDirectories: true)
    let fifo = fixture.root.appendingPathComponent("cabin.ts")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    try fixture.writeConfig(topLevel: """
      streams:
        - name: cabin
          url: \(fifo.path)
          input_format: mpegts
          segment_s: 2
          max_reconnect_delay_s: 0.5
      """)
    let service = try fixture.start()
    defer { if service.isRunning { kill(service.processIdentifier, SIGKILL) } }

    // The camera streams 5 s, goes away, and comes back for 3 s more.
    let first = try camera(fifo, seconds: 5)
    first.waitUntilExit()
    let second = try camera(fifo, seconds: 3)
    second.waitUntilExit()
    #expect(first.terminationStatus == 0 && second.terminationStatus == 0)

    // Every frame of both runs ends up in a stored, anonymized segment.
    var frames = 0, segments: [String] = []
    for _ in 0..<300 {
      segments = fixture.storedFiles().filter { $0.hasPrefix("streams/cabin/") && $0.hasSuffix(".mp4") }
      frames = try segments.reduce(0) { total, path in
        let sidecar = fixture.store.appendingPathComponent(path + ".anon.json")
        guard let data = FileManager.default.contents(atPath: sidecar.path) else { return total }
        return total + (try Sidecar.decode(data)).counts.frames
      }
      if frames >= 96 { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(frames == 96, "frames stored: \(frames) in \(segments)")
    #expect(segments.count >= 4, "5 s and 3 s cut at 2 s: at least 4 segments, got \(segments)")
    for path in segments {
      let output = fixture.store.appendingPathComponent(path)
      #expect(try Probe.framePresentationTimes(output).count > 0, "\(path) does not decode")
      let sidecar = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
      #expect(sidecar.counts.detections[.face, default: 0] > 0, "the astronaut's face was not found in \(path)")
    }
    // Nothing raw was written anywhere: only anonymized segments, sidecars and the journal.
    let written = (FileManager.default.enumerator(atPath: fixture.state.path)?.compactMap { $0 as? String } ?? [])
      .filter { !$0.hasPrefix("journal.sqlite") && !$0.hasSuffix(".anon.json") && !$0.hasSuffix(".mp4") }
      .filter { path in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: fixture.state.appendingPathComponent(path).path, isDirectory: &isDirectory)
          && !isDirectory.boolValue
      }
    #expect(written.isEmpty, "unexpected files in the state directory: \(written)")

    kill(service.processIdentifier, SIGTERM)
    service.waitUntilExit()
    #expect(service.terminationStatus == 0)
  }
}
