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
