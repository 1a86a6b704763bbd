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

/// The gear selector. A struct, not an enum, so values a newer vehicle sends survive a round trip.
public struct Gear: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static var park: Self { Self(rawValue: 0) }
  public static var drive: Self { Self(rawValue: 1) }
  public static var reverse: Self { Self(rawValue: 2) }
  public static var neutral: Self { Self(rawValue: 3) }

  public var description: String {
    switch rawValue {
    case 0: "P"
    case 1: "D"
    case 2: "R"
    case 3: "N"
    default: "\(rawValue)"
    }
  }

  /// Parses `P`/`D`/`R`/`N` or a number.
  public init?(text: String) {
    switch text.uppercased() {
    case "P", "PARK": self = .park
    case "D", "DRIVE": self = .drive
    case "R", "REVERSE": self = .reverse
    case "N", "NEUTRAL": self = .neutral
    default:
      guard let value = Int(text) else { return nil }
      self.init(rawValue: value)
    }
  }
}

/// Driver assistance state, with Tesla's numbering.
public struct AutopilotState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// No assistance (Tesla's `NONE`; not called `none`, which would read as `Optional.none`).
  public static var off: Self { Self(rawValue: 0) }
  public static var selfDriving: Self { Self(rawValue: 1) }
  public static var autosteer: Self { Self(rawValue: 2) }
  /// Traffic-aware cruise control.
  public static var tacc: Self { Self(rawValue: 3) }

  public var description: String {
    switch rawValue {
    case 0: "none"
    case 1: "self_driving"
    case 2: "autosteer"
    case 3: "tacc"
    default: "\(rawValue)"
    }
  }

  public init?(text: String) {
    switch text.lowercased() {
    case "none", "off": self = .off
    case "self_driving", "fsd": self = .selfDriving
    case "autosteer": self = .autosteer
    case "tacc": self = .tacc
    default:
      guard let value = Int(text) else { return nil }
      self.init(rawValue: value)
    }
  }
}
