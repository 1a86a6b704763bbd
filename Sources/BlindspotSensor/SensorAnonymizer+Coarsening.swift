import Foundation

extension SensorAnonymizer {
  /// This trip's keyed time shift in ±`policy.timeShiftMax` seconds (0 when off).
  func timeShift(tripID: String) -> TimeInterval {
    guard policy.timeShiftMax > 0, let key = policy.key else { return 0 }
    return (key.unit("time-shift", [tripID]) * 2 - 1) * policy.timeShiftMax
  }

  /// One kept sample, as it leaves: shifted and rounded, coarsened, cut to the allow-list, extras
  /// pseudonymized.
  func transform(_ sample: SensorSample, shift: TimeInterval) -> SensorSample {
    let fields = policy.fields
    var time = sample.timestamp.timeIntervalSince1970 + shift
    if policy.timeRounding > 0 { time = (time / policy.timeRounding).rounded() * policy.timeRounding }
    var out = SensorSample(timestamp: Date(timeIntervalSince1970: time))
    if fields.contains(.position), let c = sample.coordinate { out.coordinate = coarsen(c) }
    if fields.contains(.altitude) { out.altitude = sample.altitude.map { Self.step($0, policy.altitudeStep) } }
    if fields.contains(.speed) { out.speed = sample.speed.map { Self.step($0, policy.speedStep) } }
    if fields.contains(.heading) {
      out.heading = sample.heading.map { Self.step($0, policy.headingStep).truncatingRemainder(dividingBy: 360) }
    }
    if fields.contains(.accuracy) { out.accuracy = sample.accuracy }
    if fields.contains(.acceleration) { out.acceleration = sample.acceleration }
    if fields.contains(.gyro) { out.gyro = sample.gyro }
    let v = sample.vehicle
    if fields.contains(.gear) { out.vehicle.gear = v.gear }
    if fields.contains(.steering) { out.vehicle.steeringAngle = v.steeringAngle }
    if fields.contains(.accelerator) { out.vehicle.acceleratorPedal = v.acceleratorPedal }
    if fields.contains(.brake) { out.vehicle.brakeApplied = v.brakeApplied }
    if fields.contains(.autopilot) { out.vehicle.autopilot = v.autopilot }
    if fields.contains(.blinkers) {
      out.vehicle.blinkerLeft = v.blinkerLeft
      out.vehicle.blinkerRight = v.blinkerRight
    }
    for (name, value) in sample.extras where policy.extras.contains(name) {
      if policy.pseudonymized.contains(name) {
        guard let key = policy.key else { continue }  // validate() demands a key here; drop rather than leak.
        out.extras[name] = key.pseudonym(of: value, field: name)
      } else {
        out.extras[name] = value
      }
    }
    return out
  }

  func coarsen(_ c: Coordinate) -> Coordinate {
    switch policy.spatial {
    case .none:
      return c
    case .grid(let metres):
      let latStep = metres / Geodesy.metresPerDegree
      let lat = Self.tidy((c.latitude / latStep).rounded() * latStep)
      let lonStep = metres / (Geodesy.metresPerDegree * max(0.01, cos(lat * .pi / 180)))
      return Coordinate(latitude: lat, longitude: Self.tidy((c.longitude / lonStep).rounded() * lonStep))
    case .geohash(let precision):
      // This is safe: encode only emits alphabet characters.
      let centre = Geohash.centre(of: Geohash.encode(c, precision: precision))!
      return Coordinate(latitude: Self.tidy(centre.latitude), longitude: Self.tidy(centre.longitude))
    }
  }

  static func step(_ value: Double, _ step: Double) -> Double {
    guard step > 0 else { return value }
    return tidy((value / step).rounded() * step)
  }

  /// Rounds to 7 decimals (1 cm), so coarsened values print as short decimals.
  static func tidy(_ value: Double) -> Double { (value * 1e7).rounded() / 1e7 }
}
