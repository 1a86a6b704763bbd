import Foundation

/// One line of Blindspot's JSON Lines format. Keys (all but `time` optional):
/// `time` (ISO 8601), `lat`, `lon`, `alt`, `speed` (m/s), `heading` (°), `accuracy` (m),
/// `accel` and `gyro` (`[x, y, z]`), `gear` (`P`/`D`/`R`/`N`), `steering`, `accelerator`, `brake`,
/// `autopilot`, `blinker_left`, `blinker_right`, `extras` (string to string).
/// Unknown keys are ignored on reading, so they never reach the output.
struct JSONLineRecord: Codable {
  var time: String
  var lat: Double?
  var lon: Double?
  var alt: Double?
  var speed: Double?
  var heading: Double?
  var accuracy: Double?
  var accel: [Double]?
  var gyro: [Double]?
  var gear: String?
  var steering: Double?
  var accelerator: Double?
  var brake: Bool?
  var autopilot: String?
  var blinker_left: Bool?
  var blinker_right: Bool?
  var extras: [String: String]?

  init(_ s: SensorSample) {
    time = Timestamp.format(s.timestamp)
    lat = s.coordinate?.latitude
    lon = s.coordinate?.longitude
    alt = s.altitude
    speed = s.speed
    heading = s.heading
    accuracy = s.accuracy
    accel = s.acceleration.map { [$0.x, $0.y, $0.z] }
    gyro = s.gyro.map { [$0.x, $0.y, $0.z] }
    gear = s.vehicle.gear?.description
    steering = s.vehicle.steeringAngle
    accelerator = s.vehicle.acceleratorPedal
    brake = s.vehicle.brakeApplied
    autopilot = s.vehicle.autopilot?.description
    blinker_left = s.vehicle.blinkerLeft
    blinker_right = s.vehicle.blinkerRight
    extras = s.extras.isEmpty ? nil : s.extras
  }

  func sample() throws(FieldProblem) -> SensorSample {
    guard let date = Timestamp.parse(time) else { throw FieldProblem("time is not ISO 8601") }
    var s = SensorSample(timestamp: date)
    switch (lat, lon) {
    case let (lat?, lon?): s.coordinate = Coordinate(latitude: lat, longitude: lon)
    case (nil, nil): break
    default: throw FieldProblem("lat without lon (or the reverse)")
    }
    s.altitude = alt
    s.speed = speed
    s.heading = heading
    s.accuracy = accuracy
    func vector(_ values: [Double]?, _ name: String) throws(FieldProblem) -> Vector3? {
      guard let values else { return nil }
      guard values.count == 3 else { throw FieldProblem("\(name) needs three values") }
      return Vector3(x: values[0], y: values[1], z: values[2])
    }
    s.acceleration = try vector(accel, "accel")
    s.gyro = try vector(gyro, "gyro")
    if let gear {
      guard let value = Gear(text: gear) else { throw FieldProblem("gear unknown") }
      s.vehicle.gear = value
    }
    if let autopilot {
      guard let value = AutopilotState(text: autopilot) else { throw FieldProblem("autopilot state unknown") }
      s.vehicle.autopilot = value
    }
    s.vehicle.steeringAngle = steering
    s.vehicle.acceleratorPedal = accelerator
    s.vehicle.brakeApplied = brake
    s.vehicle.blinkerLeft = blinker_left
    s.vehicle.blinkerRight = blinker_right
    s.extras = extras ?? [:]
    return s
  }
}
