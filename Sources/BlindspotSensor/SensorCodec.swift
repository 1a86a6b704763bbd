import Foundation

/// A line the reader skipped, and why. Carries the line number only, never the line's content.
public struct SkippedLine: Hashable, Sendable, CustomStringConvertible {
  public let line: Int
  public let reason: String
  public init(line: Int, reason: String) {
    self.line = line
    self.reason = reason
  }
  public var description: String { "line \(line): \(reason)" }
}

/// Reads samples from one input, in input order, handing them on one at a time.
///
/// Readers stream: they hold one line (or one XML element) at a time, never the whole file.
/// Not thread-safe; one reader per input.
public protocol SensorReader: AnyObject {
  /// Reads every sample and hands each to `body` with the 1-based line it ends on.
  /// Throws `SensorError` (kind `.badInput`, with the line) on input it cannot read as its format;
  /// an error thrown by `body` ends reading and is rethrown.
  func forEach(_ body: (SensorSample, Int) throws -> Void) throws
  /// Lines that were skipped rather than failing the whole input (NMEA: bad checksums, bad fields).
  var skipped: [SkippedLine] { get }
}

/// Writes samples to one output. Call `finish()` once after the last sample.
public protocol SensorWriter: AnyObject {
  /// Writes `sample`, which belongs to trip number `trip` (0-based, non-decreasing).
  func write(_ sample: SensorSample, trip: Int) throws
  /// Writes any trailer and flushes.
  func finish() throws
}

/// Absurd values are bad input: this is the one place that decides what is absurd.
enum SampleCheck {
  /// `nil` when the sample is plausible, else the reason (naming fields, never values).
  static func problem(in sample: SensorSample) -> String? {
    if !sample.timestamp.timeIntervalSince1970.isFinite { return "time is not a number" }
    if let c = sample.coordinate {
      if !c.latitude.isFinite || abs(c.latitude) > 90 { return "latitude out of range (±90°)" }
      if !c.longitude.isFinite || abs(c.longitude) > 180 { return "longitude out of range (±180°)" }
    }
    let scalars: [(String, Double?)] = [
      ("altitude", sample.altitude), ("speed", sample.speed), ("heading", sample.heading),
      ("accuracy", sample.accuracy), ("steering", sample.vehicle.steeringAngle),
      ("accelerator", sample.vehicle.acceleratorPedal),
      ("acceleration", sample.acceleration.map { $0.x + $0.y + $0.z }),
      ("gyro", sample.gyro.map { $0.x + $0.y + $0.z }),
    ]
    for (name, value) in scalars where value.map({ !$0.isFinite }) == true { return "\(name) is not a finite number" }
    if let altitude = sample.altitude, abs(altitude) > 100_000 { return "altitude out of range (±100 km)" }
    if let speed = sample.speed, speed < 0 || speed > 1_000 { return "speed out of range (0…1000 m/s)" }
    return nil
  }
}

/// Collects text output and writes it to a file handle in large chunks (or keeps it, for tests).
public final class TextOutput {
  private let handle: FileHandle?
  private var pending: [UInt8] = []
  /// Everything written, when there is no file handle.
  public private(set) var data = Data()

  /// Output that goes to `handle`.
  public init(handle: FileHandle) { self.handle = handle }
  /// Output kept in memory, in `data`.
  public init() { handle = nil }

  public func write(_ text: String) throws {
    pending.append(contentsOf: text.utf8)
    if pending.count >= 64 * 1024 { try flush() }
  }

  public func flush() throws {
    guard !pending.isEmpty else { return }
    if let handle {
      do { try handle.write(contentsOf: pending) } catch { throw SensorError(.io, "write failed") }
    } else {
      data.append(contentsOf: pending)
    }
    pending.removeAll(keepingCapacity: true)
  }
}

/// Number formatting shared by the text writers: fixed decimals, `.` as separator, no locale.
enum Decimal {
  static func fixed(_ value: Double, _ places: Int) -> String {
    String(format: "%.\(places)f", value)
  }

  /// The shortest text that reads back as `value` (Swift's own `description`), without `.0`.
  static func shortest(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}
