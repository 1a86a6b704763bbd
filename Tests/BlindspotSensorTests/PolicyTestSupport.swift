import BlindspotSensor
import Foundation

extension SensorPolicy {
  /// A policy that changes nothing but what `configure` sets: no truncation, no rounding,
  /// every field and the fixtures' extras kept as they are, the test key.
  static func neutral(_ configure: (inout SensorPolicy) -> Void = { _ in }) -> SensorPolicy {
    var policy = SensorPolicy()
    policy.truncation = nil
    policy.timeRounding = 0
    policy.speedStep = 0
    policy.headingStep = 0
    policy.altitudeStep = 0
    policy.fields = Set(OutputField.allCases)
    policy.extras = ["vin", "frame_seq_no"]
    policy.pseudonymized = []
    policy.key = Trace.key
    configure(&policy)
    return policy
  }
}

extension PrivacyZone {
  static func circle(_ name: String = "home", around centre: Coordinate = Trace.home, radius: Double = 300) -> PrivacyZone {
    PrivacyZone(name: name, shape: .circle(centre: centre, radius: radius))
  }
}
