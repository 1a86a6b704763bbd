import Crypto
import Foundation

/// The secret behind everything keyed: pseudonyms, zone exit margins, per-trip time shifts.
///
/// One per region, read from a file or an environment variable. Important: the key's bytes never
/// appear in `description`, errors or reports; only where it came from does.
public struct SensorKey: Sendable, CustomStringConvertible {
  /// Fewer bytes than this are refused: a short key could be guessed from its pseudonyms.
  public static let minimumLength = 16

  /// The secret itself. Kept as bytes (`SymmetricKey` is not `Sendable`).
  private let secret: [UInt8]
  /// Where the key came from (`env:NAME` or `file:PATH`), for messages.
  public let source: String

  /// A key from raw bytes (tests, integration). Throws when shorter than `minimumLength`.
  public init(bytes: some Collection<UInt8>, source: String) throws(SensorError) {
    guard bytes.count >= Self.minimumLength else {
      throw SensorError(.configuration, "key from \(source) is shorter than \(Self.minimumLength) bytes")
    }
    secret = Array(bytes)
    self.source = source
  }

  /// The key in environment variable `name` (its UTF-8 bytes).
  public static func fromEnvironment(_ name: String, environment: [String: String]) throws(SensorError) -> SensorKey {
    guard let value = environment[name], !value.isEmpty else {
      throw SensorError(.configuration, "key environment variable \(name) is not set")
    }
    return try SensorKey(bytes: Array(value.utf8), source: "env:\(name)")
  }

  /// The key in file `path` (its bytes, a trailing line break removed).
  public static func fromFile(_ path: String) throws(SensorError) -> SensorKey {
    guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
      throw SensorError(.configuration, file: path, "cannot read key file")
    }
    while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
    return try SensorKey(bytes: bytes, source: "file:\(path)")
  }

  public var description: String { "SensorKey(\(source))" }

  /// HMAC-SHA-256 of `purpose` and `parts`, each length-prefixed so no two inputs collide.
  func mac(_ purpose: String, _ parts: [String]) -> [UInt8] {
    var message: [UInt8] = Array("blindspot-sensor/1/".utf8)
    for part in [purpose] + parts {
      let bytes = Array(part.utf8)
      withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { message.append(contentsOf: $0) }
      message.append(contentsOf: bytes)
    }
    return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
  }

  /// A number in [0, 1) that only the key holder can predict, the same every time for the same inputs.
  func unit(_ purpose: String, _ parts: [String]) -> Double {
    let bytes = mac(purpose, parts)
    var value: UInt64 = 0
    for byte in bytes.prefix(8) { value = value << 8 | UInt64(byte) }
    return Double(value >> 11) / Double(1 << 53)
  }

  /// The keyed pseudonym of `value` in field `name`: lowercase hex HMAC-SHA-256.
  public func pseudonym(of value: String, field name: String) -> String {
    mac("pseudonym", [name, value]).map { String(format: "%02x", $0) }.joined()
  }
}
