import Foundation

/// Number formatting shared by the text writers: fixed decimals, `.` as separator, no locale.
enum NumberText {
  static func fixed(_ value: Double, _ places: Int) -> String {
    String(format: "%.\(places)f", value)
  }

  /// The shortest text that reads back as `value` (Swift's own `description`), without `.0`.
  static func shortest(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}
