/// A failure of the vision layer. Messages carry no pixels and no detection contents.
public struct VisionError: Error, CustomStringConvertible, Sendable {
  public enum Kind: Sendable {
    /// A model file is missing, has the wrong hash, or OpenCV rejects it: a start-up error.
    case model
    /// Inference failed on a frame: the pipeline fails closed (masks the frame or aborts).
    case inference
    /// The redactor could not edit the frame.
    case redaction
    /// A caller asked for something impossible (unknown model id, bad size).
    case configuration
  }

  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}
