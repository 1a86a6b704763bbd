import Foundation

/// What the anonymizer does to a sensor trace. Every default is documented here and in the
/// README; `SensorPolicy()` is the default policy (no zones, ends truncated, fine rounding,
/// position/speed/heading/altitude kept, extras dropped).
///
/// All keyed behaviour (zone exit margins, time shifts, pseudonyms) is a function of the key and
/// the input only, so the same key and input give the same output bytes.
public struct SensorPolicy: Sendable {
  /// How far each trip's ends are cut.
  public enum Truncation: Hashable, Sendable {
    case metres(Double)
    case seconds(Double)
  }

  /// How positions are coarsened.
  public enum SpatialCoarsening: Hashable, Sendable {
    case none
    /// Snap to a grid of cells about this many metres on a side.
    case grid(metres: Double)
    /// Replace by the centre of the geohash cell of this many characters.
    case geohash(precision: Int)
  }

  /// Values the output may carry (the allow-list). Time is always kept, coarsened as configured.
  public enum OutputField: String, CaseIterable, Hashable, Sendable {
    case position, altitude, speed, heading, accuracy, acceleration, gyro
    case gear, steering, accelerator, brake, autopilot, blinkers
  }

  /// A gap in time longer than this starts a new trip. Default 300 s.
  public var tripGap: TimeInterval = 300
  /// Longest trip held in memory; a longer one is split (its pieces each lose their ends). Default 500 000 samples.
  public var maxTripSamples = 500_000
  /// Privacy zones. Default none.
  public var zones: [PrivacyZone] = []
  /// How far beyond the point where a trip leaves (or enters) a zone it is cut, drawn per trip and
  /// keyed in this range, in metres. Default 100…400 m.
  public var zoneExitMargin: ClosedRange<Double> = 100...400
  /// Trip-end truncation. Default: 200 m at each end.
  public var truncation: Truncation? = .metres(200)
  /// Default `.none`.
  public var spatial: SpatialCoarsening = .none
  /// Timestamps are rounded to a multiple of this many seconds. Default 1 s (0: off).
  public var timeRounding: TimeInterval = 1
  /// Each trip is shifted by a keyed offset in ±this many seconds. Default 0 (off).
  public var timeShiftMax: TimeInterval = 0
  /// Speed step in m/s. Default 0.5 (0: off).
  public var speedStep = 0.5
  /// Heading step in degrees. Default 5 (0: off).
  public var headingStep = 5.0
  /// Altitude step in metres. Default 5 (0: off).
  public var altitudeStep = 5.0
  /// Extras whose values are replaced by keyed pseudonyms. Default `vin`, `serial`, `device_id`, `phone_id`.
  public var pseudonymized: Set<String> = ["vin", "serial", "device_id", "phone_id"]
  /// Values kept in the output. Default position, altitude, speed, heading.
  public var fields: Set<OutputField> = [.position, .altitude, .speed, .heading]
  /// Extras kept in the output (pseudonymized ones as pseudonyms). Default none.
  public var extras: Set<String> = []
  /// The key for keyed behaviour; required when any is in use (see `validate()`).
  public var key: SensorKey?

  public init() {}

  /// Whether anything in the policy needs the key.
  public var needsKey: Bool {
    !zones.isEmpty || timeShiftMax > 0 || !extras.intersection(pseudonymized).isEmpty
  }

  /// Checks values and that a key is present when needed; throws `.configuration`.
  public func validate() throws(SensorError) {
    if needsKey && key == nil {
      throw SensorError(.configuration, "the policy uses zones, time shifts or pseudonyms but no key is configured")
    }
    guard tripGap > 0 else { throw SensorError(.configuration, "trips.max_gap_s must be positive") }
    guard maxTripSamples >= 2 else { throw SensorError(.configuration, "trips.max_samples must be at least 2") }
    guard zoneExitMargin.lowerBound >= 0 else { throw SensorError(.configuration, "exit margin must not be negative") }
    switch truncation {
    case .metres(let value)?, .seconds(let value)?:
      guard value >= 0, value.isFinite else { throw SensorError(.configuration, "truncate amount must not be negative") }
    case nil: break
    }
    switch spatial {
    case .grid(let metres): guard metres > 0 else { throw SensorError(.configuration, "grid_m must be positive") }
    case .geohash(let p): guard (1...12).contains(p) else { throw SensorError(.configuration, "geohash must be 1…12") }
    case .none: break
    }
    for (name, value) in [("time_round_s", timeRounding), ("time_shift_max_s", timeShiftMax), ("speed_step_mps", speedStep),
                          ("heading_step_deg", headingStep), ("altitude_step_m", altitudeStep)] {
      guard value >= 0, value.isFinite else { throw SensorError(.configuration, "\(name) must not be negative") }
    }
    for zone in zones {
      switch zone.shape {
      case .circle(let centre, let radius):
        guard centre.isValid, radius > 0 else { throw SensorError(.configuration, "zone '\(zone.name)': bad circle") }
      case .polygon(let vertices):
        guard vertices.count >= 3, vertices.allSatisfy(\.isValid) else {
          throw SensorError(.configuration, "zone '\(zone.name)': a polygon needs at least three valid points")
        }
      }
    }
  }
}
