import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct CSVTests {
  let drive = Array(Trace.roundTrip().prefix(30))

  @Test func standardLayoutRoundTripsEverySignal() throws {
    // Given a drive with IMU and vehicle signals, in the standard layout
    let text = try Trace.write(drive, as: .csv)
    // When read back
    let (back, _) = try Trace.read(text, as: .csv)
    // Then every value is exact (extras are not in the standard layout)
    var expected = drive
    for i in expected.indices { expected[i].extras = [:] }
    #expect(back == expected)
  }

  @Test func configuredColumnsMapHeadersAndExtras() throws {
    // Given a layout with foreign header names and an extra
    let layout = try CSVLayout(spec: "time=ts,latitude=lat,longitude=lng,speed=v,extra.vin=VIN")
    let text = try Trace.write(drive, as: .csv, layout: layout)
    #expect(text.hasPrefix("ts,lat,lng,v,VIN\n"))
    // When read back through the same layout
    let (back, _) = try Trace.read(text, as: .csv, layout: layout)
    // Then those columns, and only those, return
    try #require(back.count == drive.count)
    #expect(back[5].coordinate == drive[5].coordinate)
    #expect(back[5].speed == drive[5].speed)
    #expect(back[5].extras == ["vin": drive[5].extras["vin"]!])
    #expect(back[5].altitude == nil)
  }

  @Test func unknownColumnsAreIgnoredAndQuotesUnderstood() throws {
    let text = "time,lat_secret,latitude,longitude,extra\n2026-03-01T08:00:00Z,\"1,2\",48.1,11.5,\"say \"\"hi\"\"\"\n"
    let layout = try CSVLayout(spec: "time,latitude,longitude,extra.extra=extra")
    let (samples, _) = try Trace.read(text, as: .csv, layout: layout)
    #expect(samples.count == 1)
    #expect(samples[0].extras["extra"] == "say \"hi\"")
  }

  @Test(arguments: [
    ("time,latitude,longitude\n2026-03-01T08:00:00Z,48.1,11.5\n2026-03-01T08:00:01Z,95.0,11.5\n", 3, "latitude out of range"),
    ("time,latitude,longitude\n2026-03-01T08:00:00Z,48.1\n", 2, "cells"),
    ("time,latitude,longitude\nsoon,48.1,11.5\n", 2, "time"),
    ("time,latitude,longitude\n2026-03-01T08:00:00Z,48.1,\n", 2, "latitude without longitude"),
    ("latitude,longitude\n48.1,11.5\n", 1, "no time column"),
    ("time,speed\n2026-03-01T08:00:00Z,fast\n", 2, "speed is not a number"),
  ])
  func badRowsAreErrorsWithTheirLine(text: String, line: Int, reason: String) throws {
    let error = try #require(throws: SensorError.self) { _ = try Trace.read(text, as: .csv) }
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
    #expect(!error.description.contains("95.0") && !error.description.contains("48.1"))
  }

  @Test func unknownLayoutFieldsAreConfigurationErrors() {
    #expect(throws: SensorError.self) { try CSVLayout(spec: "time,lattitude") }
    #expect(throws: SensorError.self) { try CSVLayout(spec: "latitude,longitude") }
  }
}

@Suite(.timeLimit(.minutes(1))) struct JSONLinesTests {
  @Test func roundTripIsExactForEveryField() throws {
    // Given a drive with every kind of value
    let drive = Array(Trace.roundTrip().prefix(30))
    // When written and read back
    let (back, _) = try Trace.read(try Trace.write(drive, as: .jsonl), as: .jsonl)
    // Then it is unchanged
    #expect(back == drive)
  }

  @Test func keysAreSortedAndUnknownKeysDropped() throws {
    let text = "{\"time\":\"2026-03-01T08:00:00Z\",\"lat\":48.1,\"lon\":11.5,\"owner\":\"Jane\"}\n"
    let (samples, _) = try Trace.read(text, as: .jsonl)
    let out = try Trace.write(samples, as: .jsonl)
    #expect(out == "{\"lat\":48.1,\"lon\":11.5,\"time\":\"2026-03-01T08:00:00Z\"}\n")
  }

  @Test(arguments: [
    ("{\"time\":\"2026-03-01T08:00:00Z\"}\n{\"time\":\"2026-03-01T08:00:01Z\",\"lat\":48.1,\"lon\":200}\n", 2, "longitude out of range"),
    ("\n{\"time\":\"2026-03-01T08:00:00Z\",\"lat\":48.1}\n", 2, "lat without lon"),
    ("{\"time\":\"2026-03-01T08:00:00Z\"\n", 1, "invalid JSON"),
    ("{\"lat\":1,\"lon\":2}\n", 1, "missing time"),
    ("{\"time\":\"2026-03-01T08:00:00Z\",\"accel\":[1,2]}\n", 1, "three values"),
  ])
  func badLinesAreErrorsWithTheirLine(text: String, line: Int, reason: String) throws {
    let error = try #require(throws: SensorError.self) { _ = try Trace.read(text, as: .jsonl) }
    #expect(error.line == line, "\(error)")
    #expect(error.reason.contains(reason), "\(error)")
  }
}
