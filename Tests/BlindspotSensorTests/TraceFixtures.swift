import BlindspotSensor
import Foundation

/// Realistic traces built in code: drives that leave "home" and come back, sampled once a second.
enum Trace {
  /// A residential street in Munich; any real point would do.
  static let home = Coordinate(latitude: 48.137_154, longitude: 11.576_124)
  static let start = Date(timeIntervalSince1970: 1_772_352_000)  // 2026-03-01T08:00:00Z

  /// Drives `legs` (bearing in degrees, metres) from `origin` at `speed` m/s, one sample every
  /// `interval` s, with altitude, heading, accuracy, IMU values, vehicle signals and a VIN.
  static func drive(from origin: Coordinate = home, legs: [(bearing: Double, metres: Double)], speed: Double = 10,
                    interval: TimeInterval = 1, start: Date = start, vin: String = "5YJ3E1EA7KF000001") -> [SensorSample] {
    var samples: [SensorSample] = []
    var position = origin
    var time = start
    var frame: UInt64 = 0
    func add(_ heading: Double) {
      var s = SensorSample(timestamp: time, coordinate: position, altitude: 519 + Double(samples.count % 7),
                           speed: speed, heading: heading, accuracy: 3.5,
                           acceleration: Vector3(x: 0.1, y: -0.05, z: 9.81), gyro: Vector3(x: 0, y: 0, z: 1.5))
      s.vehicle = VehicleSignals(gear: .drive, steeringAngle: -2.5, acceleratorPedal: 18, brakeApplied: false,
                                 autopilot: .off, blinkerLeft: false, blinkerRight: false)
      s.extras = ["vin": vin, "frame_seq_no": String(frame)]
      samples.append(s)
      frame += 1
    }
    let step = speed * interval
    add(legs.first?.bearing ?? 0)
    for leg in legs {
      var travelled = 0.0
      while travelled + step <= leg.metres + 1e-9 {
        position = Geodesy.offset(position, metres: step, bearing: leg.bearing)
        travelled += step
        time = time.addingTimeInterval(interval)
        add(leg.bearing)
      }
    }
    return samples
  }

  /// A loop that starts and ends at `home`: 2 km east, 1 km north, 2 km west, 1 km south.
  static func roundTrip(start: Date = start, speed: Double = 10) -> [SensorSample] {
    drive(legs: [(90, 2000), (0, 1000), (270, 2000), (180, 1000)], speed: speed, start: start)
  }

  /// Metres along the trace from its first sample to each sample.
  static func alongTrack(_ samples: [SensorSample]) -> [Double] {
    var total = 0.0
    var result: [Double] = []
    for (i, s) in samples.enumerated() {
      if i > 0 { total += Geodesy.distance(samples[i - 1].coordinate!, s.coordinate!) }
      result.append(total)
    }
    return result
  }

  /// A fresh scratch directory.
  static func scratch(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-sensor-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static let key = try! SensorKey(bytes: Array("test-key-eu-0123456789abcdef".utf8), source: "test")
  static let otherKey = try! SensorKey(bytes: Array("test-key-us-fedcba9876543210".utf8), source: "test")

  /// Reads all of `text` in `format` from a temporary file.
  static func read(_ text: String, as format: SensorFormat, layout: CSVLayout = .standard) throws -> (samples: [SensorSample], skipped: [SkippedLine]) {
    let dir = try scratch("read")
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("in.\(format.rawValue)")
    try Data(text.utf8).write(to: url)
    let reader = try format.reader(for: url, csvLayout: layout)
    var samples: [SensorSample] = []
    try reader.forEach { sample, _ in samples.append(sample) }
    return (samples, reader.skipped)
  }

  /// Writes `samples` in `format` and returns the text.
  static func write(_ samples: [SensorSample], as format: SensorFormat, layout: CSVLayout = .standard) throws -> String {
    let output = TextOutput()
    let writer = format.writer(to: output, csvLayout: layout)
    for s in samples { try writer.write(s, trip: 0) }
    try writer.finish()
    return String(decoding: output.data, as: UTF8.self)
  }
}
