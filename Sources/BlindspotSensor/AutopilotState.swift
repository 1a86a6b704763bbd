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
