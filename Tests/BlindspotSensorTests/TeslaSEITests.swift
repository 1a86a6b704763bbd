import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct TeslaSEITests {
  let frameTime = Date(timeIntervalSince1970: 1_772_352_000.5)

  /// A message as Tesla's car would write it, every field set.
  var message: TeslaSEI.Message {
    var m = TeslaSEI.Message()
    m.version = 1
    m.gear = .drive
    m.frameSequence = 123_456_789
    m.speed = 13.5
    m.acceleratorPedal = 22.25
    m.steeringAngle = -4.5
    m.blinkerLeft = true
    m.brakeApplied = true
    m.autopilot = .tacc
    m.latitude = 48.137_154
    m.longitude = 11.576_124
    m.heading = 87.5
    m.acceleration = Vector3(x: 0.25, y: -0.5, z: 9.75)
    return m
  }

  @Test func fieldNumbersAndWireTypesMatchTeslasProto() {
    // Given a message with only version (1, varint), speed (4, float) and latitude (11, double)
    var m = TeslaSEI.Message()
    m.version = 1
    m.speed = 1
    m.latitude = 2
    // When encoded
    let bytes = TeslaSEI.encodeMessage(m)
    // Then the bytes are exactly the tags and values protobuf's spec gives
    #expect(bytes == [0x08, 0x01, 0x25, 0x00, 0x00, 0x80, 0x3F, 0x59, 0, 0, 0, 0, 0, 0, 0, 0x40])
  }

  @Test func messageRoundTripsThroughTheWireFormat() throws {
    #expect(try TeslaSEI.decodeMessage(TeslaSEI.encodeMessage(message)) == message)
  }

  @Test func payloadInTeslasFramingDecodesToASample() throws {
    // Given a payload as Tesla writes it: 0x42 run, 0x69 marker, protobuf, escaped for the NAL
    let raw = [0x42, 0x42, 0x42, 0x69] + TeslaSEI.encodeMessage(message)
    let escaped = TeslaSEI.addEmulationPrevention(raw)
    // When decoded
    let sample = try TeslaSEI.decode(payload: escaped, timestamp: frameTime)
    // Then every field arrives in the sample
    #expect(sample.timestamp == frameTime)
    #expect(sample.coordinate == Coordinate(latitude: 48.137_154, longitude: 11.576_124))
    #expect(sample.heading == 87.5)
    #expect(sample.speed == 13.5)
    #expect(sample.acceleration == Vector3(x: 0.25, y: -0.5, z: 9.75))
    #expect(sample.vehicle == VehicleSignals(gear: .drive, steeringAngle: -4.5, acceleratorPedal: 22.25, brakeApplied: true,
                                             autopilot: .tacc, blinkerLeft: true, blinkerRight: false))
    #expect(sample.extras == ["sei_version": "1", "frame_seq_no": "123456789"])
  }

  @Test func payloadWithAUUIDDecodesToo() throws {
    let uuid: [UInt8] = Array(0..<16).map { UInt8($0 * 7 + 1) }
    let sample = try TeslaSEI.decode(payload: uuid + TeslaSEI.encodeMessage(message), timestamp: frameTime)
    #expect(sample.vehicle.autopilot == .tacc)
  }

  @Test func emulationPreventionIsRemovedExactly() {
    // Given bytes with 00 00 03 sequences (and a 03 that is not one)
    let escaped: [UInt8] = [0x00, 0x00, 0x03, 0x01, 0x05, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x03, 0x03]
    // When unescaped
    let clean = TeslaSEI.removeEmulationPrevention(escaped)
    // Then only the inserted 03s are gone, and escaping again restores the input
    #expect(clean == [0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03])
    #expect(TeslaSEI.addEmulationPrevention(clean) == escaped)
  }

  @Test func anonymizedSampleEncodesBackWithoutRemovedFields() throws {
    // Given a decoded sample that a policy stripped of its position and signals
    var sample = try TeslaSEI.decode(payload: [0x42, 0x69] + TeslaSEI.encodeMessage(message), timestamp: frameTime)
    sample.coordinate = nil
    sample.heading = nil
    sample.vehicle = VehicleSignals()
    sample.speed = 13.5
    // When encoded as a payload
    let payload = TeslaSEI.encode(sample)
    // Then it is at least 16 bytes, in Tesla's framing, and decodes without position
    #expect(payload.count >= 16)
    #expect(payload.starts(with: [0x42]))
    let back = try TeslaSEI.decode(payload: payload, timestamp: frameTime)
    #expect(back.coordinate == nil)
    #expect(back.speed == 13.5)
    #expect(back.vehicle.brakeApplied == false)
    // And no byte of the exact latitude or longitude survives
    for value in [48.137_154, 11.576_124] {
      let pattern = withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
      #expect(!payload.indices.contains { payload[$0...].starts(with: pattern) })
    }
  }

  @Test(arguments: [
    ([0x42, 0x69, 0x08], "truncated varint"),
    ([0x42, 0x69, 0x59, 0x01, 0x02], "truncated 64-bit"),
    ([0x42, 0x69, 0x25, 0x01], "truncated 32-bit"),
    ([0x42, 0x69, 0x0F, 0x01], "unknown wire type"),
    ([0x42, 0x69, 0x58, 0x01], "wrong wire type"),
    ([0x42, 0x69, 0x8A, 0x01, 0x7F, 0x01], "length past the end"),
    ([0x42, 0x69, 0x08] + Array(repeating: 0xFF, count: 10) + [0x01], "longer than 64 bits"),
    ([0x01, 0x02, 0x03], "shorter than its 16-byte UUID"),
    ([0x42, 0x69, 0x59] + withUnsafeBytes(of: (123.0).bitPattern.littleEndian, Array.init), "latitude out of range"),
  ] as [([UInt8], String)])
  func malformedPayloadsThrowNeverTrap(bytes: [UInt8], reason: String) throws {
    let error = try #require(throws: SensorError.self) { _ = try TeslaSEI.decode(payload: bytes, timestamp: frameTime) }
    #expect(error.kind == .badInput)
    #expect(error.reason.contains(reason), "\(error)")
  }

  @Test func unknownFieldsAreSkippedAndNotReEncoded() throws {
    // Given a message with an unknown length-delimited field 20 carrying a serial number
    let unknown: [UInt8] = [0xA2, 0x01, 0x04] + Array("SN42".utf8)
    let payload = [0x42, 0x69] + TeslaSEI.encodeMessage(message) + unknown
    // When decoded and encoded again
    let again = TeslaSEI.encode(try TeslaSEI.decode(payload: payload, timestamp: frameTime))
    // Then the unknown field is gone
    #expect(!again.indices.contains { again[$0...].starts(with: Array("SN42".utf8)) })
  }

  @Test func randomBytesNeverCrashTheDecoder() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      let bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
      _ = try? TeslaSEI.decode(payload: [0x42, 0x69] + bytes, timestamp: frameTime)
    }
  }
}
