/// What a detector finds and the redactor hides.
public enum ObjectClass: String, CaseIterable, Codable, Sendable, Comparable {
  case face
  case plate

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Lets `[ObjectClass: T]` encode as a JSON object keyed by class name.
extension ObjectClass: CodingKeyRepresentable {}
