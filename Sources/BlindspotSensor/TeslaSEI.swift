import Foundation

/// Tesla dashcam telemetry, carried since firmware 2025.44.25 in H.264 SEI NAL units
/// (type 6), payload type 5 "user data unregistered", one message per frame.
///
/// The payload, as FFmpeg hands it out (`AV_FRAME_DATA_SEI_UNREGISTERED`) and libx264 writes it
/// back (`udu_sei`), is one of:
///
/// ```
///  Tesla's framing:   42 42 42 … 69 | protobuf SeiMetadata          (what Tesla's cars write)
///  UUID framing:      16-byte UUID  | protobuf SeiMetadata          (spec layout, other writers)
/// ```
///
/// Tesla's own extractor (github.com/teslamotors/dashcam, `sei_extractor.py`) skips the run of
/// `0x42` bytes and the `0x69` marker; a payload that does not start that way is taken to start
/// with a 16-byte UUID. Inside a NAL unit the payload still has emulation-prevention bytes;
/// `removeEmulationPrevention(_:)` strips them.
///
/// The message (`dashcam.proto`, proto3; field numbers checked against Tesla's published spec):
///
/// | # | field | type | | # | field | type |
/// |---|---|---|---|---|---|---|
/// | 1 | version | uint32 | | 9 | brake_applied | bool |
/// | 2 | gear_state | enum Gear | | 10 | autopilot_state | enum |
/// | 3 | frame_seq_no | uint64 | | 11 | latitude_deg | double |
/// | 4 | vehicle_speed_mps | float | | 12 | longitude_deg | double |
/// | 5 | accelerator_pedal_position | float | | 13 | heading_deg | double |
/// | 6 | steering_wheel_angle | float | | 14–16 | linear_acceleration_mps2_x/y/z | double |
/// | 7, 8 | blinker_on_left/right | bool | | | | |
public enum TeslaSEI {
  /// The SEI payload type that carries the message.
  public static let payloadType = 5
  /// The framing `encode` writes: Tesla's marker, so Tesla's tools read our output.
  public static let marker: [UInt8] = [0x42, 0x42, 0x42, 0x69]

  /// The decoded `SeiMetadata`. proto3 has no presence: an absent field reads as zero.
  public struct Message: Hashable, Sendable {
    public var version: UInt32 = 0
    public var gear: Gear = .park
    public var frameSequence: UInt64 = 0
    public var speed: Float = 0
    public var acceleratorPedal: Float = 0
    public var steeringAngle: Float = 0
    public var blinkerLeft = false
    public var blinkerRight = false
    public var brakeApplied = false
    public var autopilot: AutopilotState = .off
    public var latitude: Double = 0
    public var longitude: Double = 0
    public var heading: Double = 0
    public var acceleration = Vector3(x: 0, y: 0, z: 0)

    public init() {}
  }

  // MARK: Payload

  /// Strips H.264 emulation-prevention bytes: every `00 00 03` becomes `00 00`.
  public static func removeEmulationPrevention(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var zeros = 0
    for byte in bytes {
      if zeros >= 2 && byte == 3 {
        zeros = 0
        continue
      }
      out.append(byte)
      zeros = byte == 0 ? zeros + 1 : 0
    }
    return out
  }

  /// Inserts emulation-prevention bytes, for writing a payload straight into a NAL unit:
  /// `00 00` followed by `00`…`03` becomes `00 00 03 0x`.
  public static func addEmulationPrevention(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 64)
    var zeros = 0
    for byte in bytes {
      if zeros >= 2 && byte <= 3 {
        out.append(3)
        zeros = 0
      }
      out.append(byte)
      zeros = byte == 0 ? zeros + 1 : 0
    }
    return out
  }

  /// The protobuf bytes inside a user-data-unregistered payload (see the type's doc for framing).
  /// Emulation-prevention bytes, if any are left, are removed first.
  public static func protobufBytes(inPayload payload: some Collection<UInt8>) throws(SensorError) -> [UInt8] {
    let bytes = removeEmulationPrevention(payload)
    var index = 0
    while index < bytes.count, bytes[index] == 0x42 { index += 1 }
    if index > 0, index < bytes.count, bytes[index] == 0x69 { return Array(bytes[(index + 1)...]) }
    guard bytes.count >= 16 else { throw SensorError(.badInput, "SEI payload shorter than its 16-byte UUID") }
    return Array(bytes[16...])
  }

  // MARK: Message

  /// Decodes `SeiMetadata`. Unknown fields are skipped (and so dropped on re-encoding);
  /// truncated or malformed wire data, or a known field with the wrong wire type, throws.
  public static func decodeMessage(_ bytes: [UInt8]) throws(SensorError) -> Message {
    var reader = ProtobufReader(bytes)
    var m = Message()
    func mismatch(_ field: UInt32) -> SensorError {
      SensorError(.badInput, "malformed protobuf at byte \(reader.offset): field \(field) has the wrong wire type")
    }
    while !reader.isAtEnd {
      let (field, type) = try reader.tag()
      switch (field, type) {
      case (1, .varint): m.version = UInt32(truncatingIfNeeded: try reader.varint())
      case (2, .varint): m.gear = Gear(rawValue: Int(truncatingIfNeeded: Int32(truncatingIfNeeded: try reader.varint())))
      case (3, .varint): m.frameSequence = try reader.varint()
      case (4, .fixed32): m.speed = Float(bitPattern: try reader.fixed32())
      case (5, .fixed32): m.acceleratorPedal = Float(bitPattern: try reader.fixed32())
      case (6, .fixed32): m.steeringAngle = Float(bitPattern: try reader.fixed32())
      case (7, .varint): m.blinkerLeft = try reader.varint() != 0
      case (8, .varint): m.blinkerRight = try reader.varint() != 0
      case (9, .varint): m.brakeApplied = try reader.varint() != 0
      case (10, .varint):
        m.autopilot = AutopilotState(rawValue: Int(truncatingIfNeeded: Int32(truncatingIfNeeded: try reader.varint())))
      case (11, .fixed64): m.latitude = Double(bitPattern: try reader.fixed64())
      case (12, .fixed64): m.longitude = Double(bitPattern: try reader.fixed64())
      case (13, .fixed64): m.heading = Double(bitPattern: try reader.fixed64())
      case (14, .fixed64): m.acceleration.x = Double(bitPattern: try reader.fixed64())
      case (15, .fixed64): m.acceleration.y = Double(bitPattern: try reader.fixed64())
      case (16, .fixed64): m.acceleration.z = Double(bitPattern: try reader.fixed64())
      case (1...16, _): throw mismatch(field)
      default: try reader.skip(type)
      }
    }
    return m
  }

  /// Encodes `SeiMetadata`; fields at their zero value are omitted, as proto3 does.
  public static func encodeMessage(_ m: Message) -> [UInt8] {
    var w = ProtobufWriter()
    if m.version != 0 { w.varintField(1, UInt64(m.version)) }
    if m.gear.rawValue != 0 { w.varintField(2, UInt64(bitPattern: Int64(m.gear.rawValue))) }
    if m.frameSequence != 0 { w.varintField(3, m.frameSequence) }
    if m.speed != 0 { w.floatField(4, m.speed) }
    if m.acceleratorPedal != 0 { w.floatField(5, m.acceleratorPedal) }
    if m.steeringAngle != 0 { w.floatField(6, m.steeringAngle) }
    if m.blinkerLeft { w.varintField(7, 1) }
    if m.blinkerRight { w.varintField(8, 1) }
    if m.brakeApplied { w.varintField(9, 1) }
    if m.autopilot.rawValue != 0 { w.varintField(10, UInt64(bitPattern: Int64(m.autopilot.rawValue))) }
    if m.latitude != 0 { w.doubleField(11, m.latitude) }
    if m.longitude != 0 { w.doubleField(12, m.longitude) }
    if m.heading != 0 { w.doubleField(13, m.heading) }
    if m.acceleration.x != 0 { w.doubleField(14, m.acceleration.x) }
    if m.acceleration.y != 0 { w.doubleField(15, m.acceleration.y) }
    if m.acceleration.z != 0 { w.doubleField(16, m.acceleration.z) }
    return w.bytes
  }

  // MARK: Samples

  /// Decodes one SEI payload into a sample at `timestamp` (the frame's time: the message has none).
  ///
  /// Latitude and longitude both zero mean "no fix" (proto3 cannot tell absent from zero) and
  /// give no coordinate. `version` and `frame_seq_no` go to `extras` as `sei_version` and
  /// `frame_seq_no`. Throws `.badInput` on malformed protobuf or an absurd position.
  public static func decode(payload: some Collection<UInt8>, timestamp: Date) throws(SensorError) -> SensorSample {
    let m = try decodeMessage(try protobufBytes(inPayload: payload))
    var s = SensorSample(timestamp: timestamp)
    if m.latitude != 0 || m.longitude != 0 {
      s.coordinate = Coordinate(latitude: m.latitude, longitude: m.longitude)
      s.heading = m.heading
    }
    s.speed = Double(m.speed)
    s.acceleration = m.acceleration
    s.vehicle = VehicleSignals(gear: m.gear, steeringAngle: Double(m.steeringAngle),
                               acceleratorPedal: Double(m.acceleratorPedal), brakeApplied: m.brakeApplied,
                               autopilot: m.autopilot, blinkerLeft: m.blinkerLeft, blinkerRight: m.blinkerRight)
    s.extras = ["sei_version": String(m.version), "frame_seq_no": String(m.frameSequence)]
    if let problem = SampleCheck.problem(in: s) { throw SensorError(.badInput, "SEI message: \(problem)") }
    return s
  }

  /// Encodes an (anonymized) sample as a payload in Tesla's framing, ready for
  /// `AV_FRAME_DATA_SEI_UNREGISTERED` (no emulation prevention: the encoder adds it).
  ///
  /// Only what the sample still has is written: a field the policy removed stays at proto3's
  /// zero, i.e. absent. The payload is padded with `0x42` to the 16 bytes H.264 requires.
  public static func encode(_ s: SensorSample) -> [UInt8] {
    var m = Message()
    m.version = s.extras["sei_version"].flatMap { UInt32($0) } ?? 0
    m.frameSequence = s.extras["frame_seq_no"].flatMap { UInt64($0) } ?? 0
    m.gear = s.vehicle.gear ?? .park
    m.speed = Float(s.speed ?? 0)
    m.acceleratorPedal = Float(s.vehicle.acceleratorPedal ?? 0)
    m.steeringAngle = Float(s.vehicle.steeringAngle ?? 0)
    m.blinkerLeft = s.vehicle.blinkerLeft ?? false
    m.blinkerRight = s.vehicle.blinkerRight ?? false
    m.brakeApplied = s.vehicle.brakeApplied ?? false
    m.autopilot = s.vehicle.autopilot ?? .off
    if let c = s.coordinate {
      m.latitude = c.latitude
      m.longitude = c.longitude
      m.heading = s.heading ?? 0
    }
    m.acceleration = s.acceleration ?? Vector3(x: 0, y: 0, z: 0)
    let body = encodeMessage(m)
    let padding = max(0, 16 - body.count - marker.count)
    return Array(repeating: 0x42, count: padding) + marker + body
  }
}
