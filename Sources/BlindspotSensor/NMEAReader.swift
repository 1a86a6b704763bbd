import Foundation

/// Reads NMEA 0183 logs: `RMC` (position, speed, course, date), `GGA` (position, altitude, HDOP)
/// and `VTG` (course, speed), from any talker (`GP`, `GN`, `GL`, …).
///
/// Sentences of one fix (same time of day) are merged into one sample; `VTG`, which has no time,
/// belongs to the fix before it. The date comes from `RMC`; a fix before the first `RMC` date is
/// skipped. Time of day that goes backwards without a new date is taken as a day rollover.
///
/// Every sentence must carry a valid `*hh` checksum. A sentence that fails its checksum or has
/// a malformed or absurd field is skipped and listed in `skipped` with its line number — never
/// half-used. Other sentence types (GSA, GSV, …) are ignored once their checksum is checked.
public final class NMEAReader: SensorReader {
  private let lines: LineReader
  private let file: String
  public private(set) var skipped: [SkippedLine] = []
  public private(set) var skippedCount = 0

  private struct Fix {
    var timeOfDay: Double
    var line: Int
    var date: Int64?
    var sample: SensorSample
  }

  private var pending: Fix?
  private var lastDay: Int64?
  private var lastTimeOfDay: Double?

  public init(lines: LineReader, file: String) {
    self.lines = lines
    self.file = file
  }

  public func forEach(_ body: (SensorSample, Int) throws -> Void) throws {
    do throws(any Error) {
      while let text = try lines.next() {
        let line = lines.lineNumber
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { continue }
        switch Self.fields(of: trimmed) {
        case .failure(let reason):
          skip(SkippedLine(line: line, reason: reason.description))
        case .success(let fields):
          try handle(fields, line: line, body)
        }
      }
      try emitPending(body)
    } catch {
      throw (error as? SensorError)?.inFile(file) ?? error
    }
  }

  private func handle(_ fields: [Substring], line: Int, _ body: (SensorSample, Int) throws -> Void) throws {
    let kind = fields[0].suffix(3)
    do {
      switch kind {
      case "RMC": try applyRMC(fields, line: line, body)
      case "GGA": try applyGGA(fields, line: line, body)
      case "VTG": try applyVTG(fields, line: line)
      default: break
      }
    } catch let problem as Problem {
      skip(SkippedLine(line: line, reason: "\(kind): \(problem.reason)"))
    }
  }

  // MARK: Sentences

  private func applyRMC(_ f: [Substring], line: Int, _ body: (SensorSample, Int) throws -> Void) throws {
    guard f.count >= 10 else { throw Problem("too few fields") }
    let time = try Self.timeOfDay(f[1])
    guard f[2] == "A" else { throw Problem("no fix (status \(f[2].isEmpty ? "empty" : String(f[2])))") }
    let coordinate = try Self.coordinate(f[3], f[4], f[5], f[6])
    let date = try Self.date(f[9])
    let speed = try Self.optionalNumber(f[7], "speed").map { $0 * 1852 / 3600 }
    let course = try Self.optionalNumber(f[8], "course")
    if let speed, speed < 0 || speed > 1_000 { throw Problem("speed out of range") }
    if let course, course < 0 || course > 360 { throw Problem("course out of range") }
    try fix(at: time, line: line, body)
    pending!.date = date
    pending!.sample.coordinate = coordinate
    if let speed { pending!.sample.speed = speed }
    if let course { pending!.sample.heading = course }
  }

  private func applyGGA(_ f: [Substring], line: Int, _ body: (SensorSample, Int) throws -> Void) throws {
    guard f.count >= 10 else { throw Problem("too few fields") }
    let time = try Self.timeOfDay(f[1])
    guard let quality = Int(f[6]), quality > 0 else { throw Problem("no fix (quality 0)") }
    let coordinate = try Self.coordinate(f[2], f[3], f[4], f[5])
    let hdop = try Self.optionalNumber(f[8], "HDOP")
    let altitude = try Self.optionalNumber(f[9], "altitude")
    if let altitude, abs(altitude) > 100_000 { throw Problem("altitude out of range") }
    try fix(at: time, line: line, body)
    if pending!.sample.coordinate == nil { pending!.sample.coordinate = coordinate }
    if let hdop { pending!.sample.accuracy = hdop }
    if let altitude { pending!.sample.altitude = altitude }
  }

  private func applyVTG(_ f: [Substring], line: Int) throws {
    guard f.count >= 8 else { throw Problem("too few fields") }
    let course = try Self.optionalNumber(f[1], "course")
    let kmh = try Self.optionalNumber(f[7], "speed")
    if let course, course < 0 || course > 360 { throw Problem("course out of range") }
    if let kmh, kmh < 0 || kmh > 3_600 { throw Problem("speed out of range") }
    guard pending != nil else { throw Problem("no fix before it") }
    if let course, pending!.sample.heading == nil { pending!.sample.heading = course }
    if let kmh, pending!.sample.speed == nil { pending!.sample.speed = kmh / 3.6 }
  }

  /// Makes `pending` the fix at `time`, emitting the previous one when the time differs.
  private func fix(at time: Double, line: Int, _ body: (SensorSample, Int) throws -> Void) throws {
    if let current = pending, current.timeOfDay == time { return }
    try emitPending(body)
    pending = Fix(timeOfDay: time, line: line, date: nil, sample: SensorSample(timestamp: Date(timeIntervalSince1970: 0)))
  }

  private func emitPending(_ body: (SensorSample, Int) throws -> Void) throws {
    guard var current = pending else { return }
    pending = nil
    var day: Int64
    if let date = current.date {
      day = date
    } else if let lastDay, let lastTimeOfDay {
      day = current.timeOfDay < lastTimeOfDay ? lastDay + 1 : lastDay
    } else {
      skip(SkippedLine(line: current.line, reason: "fix before the first RMC date"))
      return
    }
    guard current.sample.coordinate != nil else {
      skip(SkippedLine(line: current.line, reason: "fix without a position"))
      return
    }
    lastDay = day
    lastTimeOfDay = current.timeOfDay
    current.sample.timestamp = Date(timeIntervalSince1970: Double(day * 86_400) + current.timeOfDay)
    try body(current.sample, current.line)
  }

  private func skip(_ line: SkippedLine) {
    skippedCount += 1
    if skipped.count < SkippedLine.keptAtMost { skipped.append(line) }
  }

  // MARK: Fields

  private struct Problem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }

  /// Splits a sentence into fields after checking its framing and checksum.
  static func fields(of sentence: String) -> Result<[Substring], ProblemText> {
    let bytes = Array(sentence.utf8)
    guard bytes.first == UInt8(ascii: "$") || bytes.first == UInt8(ascii: "!") else {
      return .failure("not an NMEA sentence")
    }
    guard let star = bytes.lastIndex(of: UInt8(ascii: "*")), star + 3 == bytes.count else {
      return .failure("missing checksum")
    }
    guard let expected = UInt8(String(decoding: bytes[(star + 1)...], as: UTF8.self), radix: 16) else {
      return .failure("malformed checksum")
    }
    let actual = bytes[1..<star].reduce(UInt8(0), ^)
    guard actual == expected else { return .failure("checksum mismatch") }
    let body = sentence.dropFirst().prefix(star - 1)
    let fields = body.split(separator: ",", omittingEmptySubsequences: false)
    guard let address = fields.first, address.count == 5, address.allSatisfy({ $0.isLetter && $0.isUppercase }) else {
      return .failure("malformed address field")
    }
    return .success(fields)
  }

  /// A skip reason as a `Result` failure.
  struct ProblemText: Error, ExpressibleByStringLiteral, CustomStringConvertible {
    let description: String
    init(stringLiteral value: String) { description = value }
  }

  private static func timeOfDay(_ text: Substring) throws -> Double {
    guard text.count >= 6, let hh = Int(text.prefix(2)), let mm = Int(text.dropFirst(2).prefix(2)),
          let ss = Double(text.dropFirst(4)), hh < 24, mm < 60, ss >= 0, ss < 61 else { throw Problem("malformed time") }
    return Double(hh * 3600 + mm * 60) + ss
  }

  private static func date(_ text: Substring) throws -> Int64 {
    guard text.count == 6, let dd = Int64(text.prefix(2)), let mm = Int64(text.dropFirst(2).prefix(2)),
          let yy = Int64(text.suffix(2)), (1...31).contains(dd), (1...12).contains(mm) else { throw Problem("malformed date") }
    // NMEA's two-digit year: 80…99 are 1980…1999, the rest 2000…2079.
    return Timestamp.days(fromCivil: yy >= 80 ? 1900 + yy : 2000 + yy, mm, dd)
  }

  private static func coordinate(_ lat: Substring, _ ns: Substring, _ lon: Substring, _ ew: Substring) throws -> Coordinate {
    guard let latitude = angle(lat, degreeDigits: 2), let longitude = angle(lon, degreeDigits: 3) else {
      throw Problem("malformed position")
    }
    guard ns == "N" || ns == "S", ew == "E" || ew == "W" else { throw Problem("malformed hemisphere") }
    let c = Coordinate(latitude: ns == "S" ? -latitude : latitude, longitude: ew == "W" ? -longitude : longitude)
    guard c.isValid else { throw Problem("position out of range") }
    return c
  }

  /// `ddmm.mmmm` (or `dddmm.mmmm`) to degrees; `nil` when malformed or the minutes reach 60.
  private static func angle(_ text: Substring, degreeDigits: Int) -> Double? {
    guard let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) == degreeDigits + 2,
          text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
          let degrees = Double(text.prefix(degreeDigits)), let minutes = Double(text.dropFirst(degreeDigits)),
          minutes < 60 else { return nil }
    return degrees + minutes / 60
  }

  private static func optionalNumber(_ text: Substring, _ name: String) throws -> Double? {
    if text.isEmpty { return nil }
    guard let value = Double(text), value.isFinite else { throw Problem("malformed \(name)") }
    return value
  }
}
