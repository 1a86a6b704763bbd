/// One object found in one image.
public struct Detection: Hashable, Sendable, Codable {
  public var objectClass: ObjectClass
  /// In the coordinates of the image the detector was given, normalized to 0…1, unless a caller
  /// has mapped it to frame pixels (the pipeline does right after detection).
  public var box: Box
  public var score: Double

  public init(objectClass: ObjectClass, box: Box, score: Double) {
    self.objectClass = objectClass
    self.box = box
    self.score = score
  }
}
