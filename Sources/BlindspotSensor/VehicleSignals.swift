/// Signals a vehicle reports about itself, as Tesla's dashcam SEI carries them.
public struct VehicleSignals: Hashable, Sendable {
  public var gear: Gear?
  /// Steering wheel angle in degrees (positive: left, as the vehicle reports it).
  public var steeringAngle: Double?
  /// Accelerator pedal position as the vehicle reports it (Tesla: 0…100).
  public var acceleratorPedal: Double?
  public var brakeApplied: Bool?
  public var autopilot: AutopilotState?
  public var blinkerLeft: Bool?
  public var blinkerRight: Bool?

  public init(gear: Gear? = nil, steeringAngle: Double? = nil, acceleratorPedal: Double? = nil, brakeApplied: Bool? = nil,
              autopilot: AutopilotState? = nil, blinkerLeft: Bool? = nil, blinkerRight: Bool? = nil) {
    self.gear = gear
    self.steeringAngle = steeringAngle
    self.acceleratorPedal = acceleratorPedal
    self.brakeApplied = brakeApplied
    self.autopilot = autopilot
    self.blinkerLeft = blinkerLeft
    self.blinkerRight = blinkerRight
  }

  /// Whether no signal is present.
  public var isEmpty: Bool { self == VehicleSignals() }
}
