/// Writes protobuf wire format into a byte array.
struct ProtobufWriter {
  private(set) var bytes: [UInt8] = []

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func tag(_ field: UInt32, _ type: WireType) { varint(UInt64(field) << 3 | UInt64(type.rawValue)) }

  mutating func varintField(_ field: UInt32, _ value: UInt64) {
    tag(field, .varint)
    varint(value)
  }

  mutating func doubleField(_ field: UInt32, _ value: Double) {
    tag(field, .fixed64)
    let bits = value.bitPattern
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
  }

  mutating func floatField(_ field: UInt32, _ value: Float) {
    tag(field, .fixed32)
    let bits = value.bitPattern
    for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
  }
}
