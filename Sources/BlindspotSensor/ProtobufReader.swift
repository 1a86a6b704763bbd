import Foundation

// Why a hand-written wire codec and not apple/swift-protobuf: the one message we need
// (`SeiMetadata`, 16 scalar fields) takes ~150 lines here, while generating it needs the
// protoc-gen-swift plugin, whose build takes ~10 minutes on our 2-core build machines, plus the
// SwiftProtobuf runtime in every build. Swap this for generated code if more messages arrive.

/// Protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure).
enum WireType: UInt8 {
  case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
}

/// Reads protobuf wire format from a byte buffer, bounds-checked: malformed input throws,
/// never traps. Not thread-safe (it keeps a read position).
struct ProtobufReader {
  private let bytes: [UInt8]
  private(set) var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var isAtEnd: Bool { offset >= bytes.count }

  /// The next field's number and wire type.
  mutating func tag() throws(SensorError) -> (field: UInt32, type: WireType) {
    let start = offset
    let key = try varint()
    guard key >> 3 > 0, key >> 3 <= 0x1FFF_FFFF else { throw malformed("field number 0 or too large", at: start) }
    guard let type = WireType(rawValue: UInt8(key & 7)) else { throw malformed("unknown wire type \(key & 7)", at: start) }
    return (UInt32(key >> 3), type)
  }

  mutating func varint() throws(SensorError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    let start = offset
    while true {
      guard offset < bytes.count else { throw malformed("truncated varint", at: start) }
      let byte = bytes[offset]
      offset += 1
      guard shift < 64, shift < 63 || byte <= 1 else { throw malformed("varint longer than 64 bits", at: start) }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
  }

  mutating func fixed64() throws(SensorError) -> UInt64 {
    guard bytes.count - offset >= 8 else { throw malformed("truncated 64-bit value", at: offset) }
    var value: UInt64 = 0
    for i in 0..<8 { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
    offset += 8
    return value
  }

  mutating func fixed32() throws(SensorError) -> UInt32 {
    guard bytes.count - offset >= 4 else { throw malformed("truncated 32-bit value", at: offset) }
    var value: UInt32 = 0
    for i in 0..<4 { value |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
    offset += 4
    return value
  }

  /// Skips a field's value of wire type `type` (groups are refused: proto3 has none).
  mutating func skip(_ type: WireType) throws(SensorError) {
    switch type {
    case .varint: _ = try varint()
    case .fixed64: _ = try fixed64()
    case .fixed32: _ = try fixed32()
    case .lengthDelimited:
      let start = offset
      let length = try varint()
      guard length <= UInt64(bytes.count - offset) else { throw malformed("length past the end", at: start) }
      offset += Int(length)
    case .startGroup, .endGroup: throw malformed("groups are not supported", at: offset)
    }
  }

  private func malformed(_ reason: String, at position: Int) -> SensorError {
    SensorError(.badInput, "malformed protobuf at byte \(position): \(reason)")
  }
}
