import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct GPXTests {
  let drive = Array(Trace.roundTrip().prefix(60))

  @Test func roundTripKeepsWhatGPXCarries() throws {
    // Given a drive with extras, written as GPX
    var samples = drive
    samples[3].extras["note"] = "a<b & \"c\""
    let text = try Trace.write(samples, as: .gpx)
    // When read back
    let (back, _) = try Trace.read(text, as: .gpx)
    // Then time, position, altitude, speed, course, accuracy and extras are exact
    try #require(back.count == samples.count)
    for (a, b) in zip(samples, back) {
      #expect(b.timestamp == a.timestamp)
      #expect(b.coordinate == a.coordinate)
      #expect(b.altitude == a.altitude)
      #expect(b.speed == a.speed)
      #expect(b.heading == a.heading)
      #expect(b.accuracy == a.accuracy)
      #expect(b.extras == a.extras)
    }
    #expect(text.hasPrefix("<?xml"))
    #expect(text.contains("<gpx version=\"1.1\""))
  }

  @Test func eachTripIsATrackSegment() throws {
    let output = TextOutput()
    let writer = GPXWriter(output: output)
    for (i, s) in drive.prefix(4).enumerated() { try writer.write(s, trip: i / 2) }
    try writer.finish()
    let text = String(decoding: output.data, as: UTF8.self)
    #expect(text.components(separatedBy: "<trkseg>").count - 1 == 2)
  }

  @Test func readsForeignGPXWithNamespacesAndGarminSpeed() throws {
    let text = """
      <?xml version="1.0"?>
      <gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"
           xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">
        <metadata><name>drive</name></metadata>
        <trk><trkseg>
          <trkpt lat="48.1" lon="11.5"><ele>520.5</ele><time>2026-03-01T08:00:00Z</time>
            <extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>12.5</gpxtpx:speed></gpxtpx:TrackPointExtension></extensions>
          </trkpt>
        </trkseg></trk>
      </gpx>
      """
    let (samples, _) = try Trace.read(text, as: .gpx)
    #expect(samples.count == 1)
    #expect(samples.first?.speed == 12.5)
    #expect(samples.first?.altitude == 520.5)
  }

  @Test(arguments: [
    ("<gpx version=\"1.1\"><trk><trkseg>\n<trkpt lat=\"48.1\" lon=\"11.5\"><time>2026-03-01T08:00:00Z</time>\n</trkseg></trk></gpx>", 3, "invalid XML"),
    ("<gpx version=\"1.1\"><trk><trkseg>\n\n<trkpt lat=\"148.1\" lon=\"11.5\"><time>2026-03-01T08:00:00Z</time></trkpt></trkseg></trk></gpx>", 3, "out of range"),
    ("<gpx version=\"1.1\"><trk><trkseg>\n<trkpt lat=\"48.1\" lon=\"11.5\"></trkpt></trkseg></trk></gpx>", 2, "without a time"),
    ("<kml>\n</kml>", 1, "not <gpx>"),
    ("<gpx><trk><trkseg>\n<trkpt lat=\"north\" lon=\"11.5\"/></trkseg></trk></gpx>", 2, "numeric"),
  ])
  func invalidGPXIsAnErrorWithItsLine(text: String, line: Int, reason: String) throws {
    // Given broken GPX; when read; then a bad-input error names the line and never the value
    let error = try #require(throws: SensorError.self) { _ = try Trace.read(text, as: .gpx) }
    #expect(error.kind == .badInput)
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
    #expect(!error.description.contains("148.1"))
  }
}
