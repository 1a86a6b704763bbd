import Foundation

/// Absurd values are bad input: this is the one place that decides what is absurd.
enum SampleCheck {
  /// `nil` when the sample is plausible, else the reason (naming fields, never values).
  static func problem(in sample: SensorSample) -> String? {
    if !sample.timestamp.timeIntervalSince1970.isFinite { return "time is not a number" }
    if let c = sample.coordinate {
      if !c.latitude.isFinite || abs(c.latitude) > 90 { return "latitude out of range (±90°)" }
      if !c.longitude.isFinite || abs(c.longitude) > 180 { return "longitude out of range (±180°)" }
    }
    let scalars: [(String, Double?)] = [
      ("altitude", sample.altitude), ("speed", sample.speed), ("heading", sample.heading),
      ("accuracy", sample.accuracy), ("steering", sample.vehicle.steeringAngle),
      ("accelerator", sample.vehicle.acceleratorPedal),
      ("acceleration", sample.acceleration.map { $0.x + $0.y + $0.z }),
      ("gyro", sample.gyro.map { $0.x + $0.y + $0.z }),
    ]
    for (name, value) in scalars where value.map({ !$0.isFinite }) == true { return "\(name) is not a finite number" }
    if let altitude = sample.altitude, abs(altitude) > 100_000 { return "altitude out of range (±100 km)" }
    if let speed = sample.speed, speed < 0 || speed > 1_000 { return "speed out of range (0…1000 m/s)" }
    return nil
  }
}
