import Foundation

/// ISO 8601 timestamps in UTC (`2026-03-01T07:30:05.250Z`), written and parsed without
/// locale, time-zone database or formatter state, so output bytes depend only on the value.
public enum Timestamp {
  /// Formats with millisecond precision; whole seconds are written without a fraction.
  public static func format(_ date: Date) -> String {
    let totalMillis = (date.timeIntervalSince1970 * 1000).rounded()
    var seconds = Int64((totalMillis / 1000).rounded(.down))
    let millis = Int64(totalMillis) - seconds * 1000
    let days = Int64((Double(seconds) / 86_400).rounded(.down))
    seconds -= days * 86_400
    let (y, m, d) = civil(fromDays: days)
    var text = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(seconds / 3600, 2) + ":"
      + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
    if millis != 0 { text += "." + pad(millis, 3) }
    return text + "Z"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM]` (a missing zone means UTC).
  public static func parse(_ text: some StringProtocol) -> Date? {
    let chars = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int64? {
      guard range.upperBound <= chars.count else { return nil }
      var value: Int64 = 0
      for c in chars[range] {
        guard c >= 48, c <= 57 else { return nil }
        value = value * 10 + Int64(c - 48)
      }
      return value
    }
    guard chars.count >= 19, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 116 || chars[10] == 32,
          chars[13] == 58, chars[16] == 58,
          let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
          let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19),
          (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
    var index = 19
    var fraction = 0.0
    if index < chars.count, chars[index] == 46 {
      index += 1
      var scale = 0.1
      let start = index
      while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
        fraction += Double(chars[index] - 48) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    var offset: Int64 = 0
    if index < chars.count {
      switch chars[index] {
      case 90, 122: index += 1
      case 43, 45:
        guard let oh = number(index + 1..<index + 3) else { return nil }
        var om: Int64 = 0
        var end = index + 3
        if end < chars.count, chars[end] == 58 { end += 1 }
        if end < chars.count {
          guard let minutes = number(end..<end + 2) else { return nil }
          om = minutes
          end += 2
        }
        offset = (oh * 3600 + om * 60) * (chars[index] == 45 ? -1 : 1)
        index = end
      default: return nil
      }
    }
    guard index == chars.count else { return nil }
    let seconds = days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
  static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The inverse of `days(fromCivil:_:_:)`.
  static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }
}
