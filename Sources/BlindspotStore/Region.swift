/// A legal region that data belongs to and that a store lives in, such as `cn`, `eu` or `us`.
///
/// Only the names in `Region.known` exist: a misspelt region in a configuration must be an error,
/// not a new region with no rules and no stores. Names are lower case.
public struct Region: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: String

  /// The regions Blindspot knows. Adding one is a deliberate change, reviewed with the legal rules
  /// that make it a region of its own.
  public static let known: Set<String> = ["au", "br", "ca", "cn", "eu", "in", "jp", "kr", "ru", "uk", "us"]

  /// The region called `rawValue`, or nil when Blindspot knows no such region.
  public init?(rawValue: String) {
    guard Self.known.contains(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  /// The region called `name`; throws a one-line configuration error for an unknown name.
  public init(validating name: String) throws(StoreError) {
    guard let region = Region(rawValue: name) else {
      let list = Self.known.sorted().joined(separator: ", ")
      throw StoreError(.configuration, "unknown region '\(name)' (known: \(list))")
    }
    self = region
  }

  public static var cn: Region { Region(rawValue: "cn")! }  // In `known`: cannot fail.
  public static var eu: Region { Region(rawValue: "eu")! }  // In `known`: cannot fail.
  public static var us: Region { Region(rawValue: "us")! }  // In `known`: cannot fail.

  public var description: String { rawValue }
}
