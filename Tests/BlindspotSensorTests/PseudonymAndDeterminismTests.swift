import BlindspotSensor
import Crypto
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct PseudonymTests {
  let vin = "5YJ3E1EA7KF000001"

  @Test func pseudonymsAreStablePerKeyAndDifferAcrossKeys() {
    // Given one VIN under two keys
    let a = Trace.key.pseudonym(of: vin, field: "vin")
    // Then the same key gives the same pseudonym, the other key another, and neither is the VIN's plain hash
    #expect(a == Trace.key.pseudonym(of: vin, field: "vin"))
    #expect(a != Trace.otherKey.pseudonym(of: vin, field: "vin"))
    #expect(a != Trace.key.pseudonym(of: "5YJ3E1EA7KF000002", field: "vin"))
    #expect(a.count == 64 && a.allSatisfy(\.isHexDigit))
    let plain = SHA256.hash(data: Array(vin.utf8)).map { String(format: "%02x", $0) }.joined()
    #expect(a != plain)
  }

  @Test func listedExtrasLeaveAsPseudonymsOthersAsIsUnlistedNotAtAll() throws {
    // Given samples with a VIN, a serial and an owner name, a policy that keeps vin and trip_id, pseudonymizing vin
    var drive = Array(Trace.roundTrip().prefix(5))
    for i in drive.indices { drive[i].extras = ["vin": vin, "owner": "Jane Doe", "trip_id": "t1"] }
    let policy = SensorPolicy.neutral { $0.extras = ["vin", "trip_id"]; $0.pseudonymized = ["vin", "serial"] }
    // When anonymized
    let (out, _) = try SensorAnonymizer.apply(policy, to: drive)
    // Then
    for s in out {
      #expect(s.extras == ["vin": Trace.key.pseudonym(of: vin, field: "vin"), "trip_id": "t1"])
    }
  }

  @Test func theKeyNeverShowsInItsDescription() throws {
    let key = try SensorKey(bytes: Array("super-secret-key-material".utf8), source: "env:X")
    #expect(!"\(key)".contains("super-secret"))
    #expect(throws: SensorError.self) { try SensorKey(bytes: Array("short".utf8), source: "x") }
  }
}

@Suite(.timeLimit(.minutes(1))) struct DeterminismTests {
  /// The full pipeline to JSON Lines bytes.
  static func anonymize(_ samples: [SensorSample], key: SensorKey, format: SensorFormat = .jsonl) throws -> Data {
    var policy = SensorPolicy()
    policy.zones = [.circle()]
    policy.timeShiftMax = 600
    policy.spatial = .grid(metres: 50)
    policy.extras = ["vin"]
    policy.key = key
    try policy.validate()
    let output = TextOutput()
    let writer = format.writer(to: output)
    let anonymizer = SensorAnonymizer(policy: policy) { s, trip in try writer.write(s, trip: trip) }
    for s in samples { try anonymizer.add(s) }
    try anonymizer.finish()
    try writer.finish()
    return output.data
  }

  @Test(arguments: SensorFormat.allCases)
  func sameKeyAndInputGiveIdenticalBytes(format: SensorFormat) throws {
    // Given two trips from home
    let drive = Trace.roundTrip() + Trace.roundTrip(start: Trace.start.addingTimeInterval(86_400))
    // When anonymized twice with one key and once with another
    let a = try Self.anonymize(drive, key: Trace.key, format: format)
    let b = try Self.anonymize(drive, key: Trace.key, format: format)
    let c = try Self.anonymize(drive, key: Trace.otherKey, format: format)
    // Then the bytes are identical under one key and differ under the other
    #expect(!a.isEmpty)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func withoutAKeyKeyedRulesRefuseToRun() {
    var policy = SensorPolicy()
    policy.zones = [.circle()]
    #expect(throws: SensorError.self) { try policy.validate() }
  }
}
