import Foundation

/// The one JSON style of every document Blindspot writes for people and scripts (sidecars,
/// evaluation and benchmark reports): pretty, key-sorted (stable bytes), snake_case keys.
enum ReportJSON {
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return encoder
  }

  /// The inverse of `encoder()`. Not Foundation's `convertFromSnakeCase`: that turns
  /// `output_sha256` into `outputSha256`, which is not the property `outputSHA256` was encoded
  /// from, so the value would silently decode as nil (and batch runs could never skip a unit).
  static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .custom { path in Key(camelCase(path.last?.stringValue ?? "")) }
    return decoder
  }

  /// `output_sha256` → `outputSHA256`, `wall_seconds` → `wallSeconds`; keys without `_` unchanged.
  static func camelCase(_ key: String) -> String {
    guard key.contains("_") else { return key }
    let parts = key.split(separator: "_")
    guard let first = parts.first else { return key }
    return String(first) + parts.dropFirst().map { part in
      part == "sha256" ? "SHA256" : part.prefix(1).uppercased() + part.dropFirst().lowercased()
    }.joined()
  }

  private struct Key: CodingKey {
    let stringValue: String
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
  }
}
