import Foundation

/// One scalar value of a `SensorSample`, by the name used in CSV headers and policies.
public enum SensorField: String, CaseIterable, Sendable {
  case time, latitude, longitude, altitude, speed, heading, accuracy
  case accelX = "accel_x", accelY = "accel_y", accelZ = "accel_z"
  case gyroX = "gyro_x", gyroY = "gyro_y", gyroZ = "gyro_z"
  case gear, steering, accelerator, brake, autopilot
  case blinkerLeft = "blinker_left", blinkerRight = "blinker_right"

  /// The value as text, or `nil` when the sample lacks it.
  public func text(of sample: SensorSample) -> String? {
    func num(_ value: Double?) -> String? { value.map(NumberText.shortest) }
    func bool(_ value: Bool?) -> String? { value.map { $0 ? "1" : "0" } }
    return switch self {
    case .time: Timestamp.format(sample.timestamp)
    case .latitude: num(sample.coordinate?.latitude)
    case .longitude: num(sample.coordinate?.longitude)
    case .altitude: num(sample.altitude)
    case .speed: num(sample.speed)
    case .heading: num(sample.heading)
    case .accuracy: num(sample.accuracy)
    case .accelX: num(sample.acceleration?.x)
    case .accelY: num(sample.acceleration?.y)
    case .accelZ: num(sample.acceleration?.z)
    case .gyroX: num(sample.gyro?.x)
    case .gyroY: num(sample.gyro?.y)
    case .gyroZ: num(sample.gyro?.z)
    case .gear: sample.vehicle.gear?.description
    case .steering: num(sample.vehicle.steeringAngle)
    case .accelerator: num(sample.vehicle.acceleratorPedal)
    case .brake: bool(sample.vehicle.brakeApplied)
    case .autopilot: sample.vehicle.autopilot?.description
    case .blinkerLeft: bool(sample.vehicle.blinkerLeft)
    case .blinkerRight: bool(sample.vehicle.blinkerRight)
    }
  }

  /// Sets the value from text; an empty text leaves it absent. Throws a reason naming the field.
  public func set(_ text: Substring, in sample: inout SensorSample) throws(FieldProblem) {
    let text = text.trimmingCharacters(in: .whitespaces)
    if text.isEmpty { return }
    func num() throws(FieldProblem) -> Double {
      guard let value = Double(text), value.isFinite else { throw FieldProblem("\(rawValue) is not a number") }
      return value
    }
    func bool() throws(FieldProblem) -> Bool {
      switch text.lowercased() {
      case "1", "true", "yes", "on": return true
      case "0", "false", "no", "off": return false
      default: throw FieldProblem("\(rawValue) is not a boolean")
      }
    }
    func vector(_ current: Vector3?, _ set: (inout Vector3) -> Void) -> Vector3 {
      var v = current ?? Vector3(x: 0, y: 0, z: 0)
      set(&v)
      return v
    }
    switch self {
    case .time:
      if let date = Timestamp.parse(text) {
        sample.timestamp = date
      } else if let seconds = Double(text), seconds.isFinite {
        sample.timestamp = Date(timeIntervalSince1970: seconds)
      } else {
        throw FieldProblem("time is neither ISO 8601 nor seconds since 1970")
      }
    case .latitude:
      let value = try num()
      sample.coordinate = Coordinate(latitude: value, longitude: sample.coordinate?.longitude ?? .nan)
    case .longitude:
      let value = try num()
      sample.coordinate = Coordinate(latitude: sample.coordinate?.latitude ?? .nan, longitude: value)
    case .altitude: sample.altitude = try num()
    case .speed: sample.speed = try num()
    case .heading: sample.heading = try num()
    case .accuracy: sample.accuracy = try num()
    case .accelX: let v = try num(); sample.acceleration = vector(sample.acceleration) { $0.x = v }
    case .accelY: let v = try num(); sample.acceleration = vector(sample.acceleration) { $0.y = v }
    case .accelZ: let v = try num(); sample.acceleration = vector(sample.acceleration) { $0.z = v }
    case .gyroX: let v = try num(); sample.gyro = vector(sample.gyro) { $0.x = v }
    case .gyroY: let v = try num(); sample.gyro = vector(sample.gyro) { $0.y = v }
    case .gyroZ: let v = try num(); sample.gyro = vector(sample.gyro) { $0.z = v }
    case .gear:
      guard let gear = Gear(text: text) else { throw FieldProblem("gear is not P, D, R, N or a number") }
      sample.vehicle.gear = gear
    case .steering: sample.vehicle.steeringAngle = try num()
    case .accelerator: sample.vehicle.acceleratorPedal = try num()
    case .brake: sample.vehicle.brakeApplied = try bool()
    case .autopilot:
      guard let state = AutopilotState(text: text) else { throw FieldProblem("autopilot state unknown") }
      sample.vehicle.autopilot = state
    case .blinkerLeft: sample.vehicle.blinkerLeft = try bool()
    case .blinkerRight: sample.vehicle.blinkerRight = try bool()
    }
  }
}

/// Why a field's text could not be read (names the field, never its value).
public struct FieldProblem: Error, Sendable {
  public let reason: String
  init(_ reason: String) { self.reason = reason }
}
