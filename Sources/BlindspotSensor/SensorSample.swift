import Foundation

/// One reading of a vehicle's sensors at one instant: a GPS fix, IMU values and vehicle signals.
///
/// Everything but the timestamp is optional, because every source carries a different subset
/// (NMEA has no IMU, Tesla's SEI has no altitude, a CSV may carry only speed). A field that is
/// `nil` is absent, never zero: writers omit it, and policies never invent it.
///
/// A value type, `Sendable`; it holds no reference to its source.
public struct SensorSample: Hashable, Sendable {
  /// When the sample was taken (UTC).
  public var timestamp: Date
  /// WGS 84 position in degrees.
  public var coordinate: Coordinate?
  /// Height above mean sea level, metres.
  public var altitude: Double?
  /// Speed over ground, metres per second.
  public var speed: Double?
  /// Course over ground, degrees clockwise from true north, in [0, 360).
  public var heading: Double?
  /// Horizontal accuracy (1 sigma) in metres, or NMEA's HDOP where that is all a source gives.
  public var accuracy: Double?
  /// Linear acceleration in the vehicle frame, m/s².
  public var acceleration: Vector3?
  /// Angular rate in the vehicle frame, degrees per second.
  public var gyro: Vector3?
  /// What the vehicle itself reports: gear, steering, pedals, driver assistance, lights.
  public var vehicle: VehicleSignals
  /// Anything else a source carries (`vin`, `serial`, `frame_seq_no`, …), by key.
  public var extras: [String: String]

  public init(timestamp: Date, coordinate: Coordinate? = nil, altitude: Double? = nil, speed: Double? = nil,
              heading: Double? = nil, accuracy: Double? = nil, acceleration: Vector3? = nil, gyro: Vector3? = nil,
              vehicle: VehicleSignals = VehicleSignals(), extras: [String: String] = [:]) {
    self.timestamp = timestamp
    self.coordinate = coordinate
    self.altitude = altitude
    self.speed = speed
    self.heading = heading
    self.accuracy = accuracy
    self.acceleration = acceleration
    self.gyro = gyro
    self.vehicle = vehicle
    self.extras = extras
  }
}
