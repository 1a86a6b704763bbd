/// One object found in one image.
public struct Detection: Hashable, Sendable, Codable {
  public var objectClass: ObjectClass
  /// In the coordinates of the image the detector was given, normalized to 0…1, unless a caller
  /// has mapped it to frame pixels (the pipeline does right after detection).
  public var box: Box
  public var score: Double
  /// Whether the detector's verifier (a second model that judges the context around the box)
  /// passed the box; nil where the detector has none. A box it turned down counts as weak, however
  /// high its score: it continues a track but starts one only by recurring.
  public var verified: Bool?

  public init(objectClass: ObjectClass, box: Box, score: Double, verified: Bool? = nil) {
    self.objectClass = objectClass
    self.box = box
    self.score = score
    self.verified = verified
  }
}
