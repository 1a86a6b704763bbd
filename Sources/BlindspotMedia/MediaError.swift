import CFFmpeg

/// A failure reported by FFmpeg or by a media check of ours, with the operation that failed.
///
/// The message never contains pixel data, metadata values or coordinates: only FFmpeg's error text,
/// the operation and, where useful, a stream or codec name.
public struct MediaError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure this is, so callers can choose an exit code without parsing text.
  public enum Kind: Sendable {
    /// The input cannot be opened, parsed or decoded (truncated, corrupt, not media, no video).
    case badInput
    /// The input is valid but uses something this FFmpeg build cannot decode or encode.
    case unsupported
    /// Writing the output failed (disk full, permission, closed pipe).
    case output
    /// A caller asked for something invalid (an unknown encoder option, an impossible format).
    case configuration
  }

  public let kind: Kind
  /// FFmpeg's error code (negative), or 0 when the check was ours.
  public let code: Int32
  public let operation: String
  public let message: String

  public init(_ kind: Kind, code: Int32 = 0, operation: String, message: String) {
    self.kind = kind
    self.code = code
    self.operation = operation
    self.message = message
  }

  /// Wraps an FFmpeg return code; the text comes from `av_strerror`.
  /// The corresponding C function is `av_strerror`.
  public init(_ kind: Kind, code: Int32, operation: String) {
    var buffer = [CChar](repeating: 0, count: 128)
    let text = buffer.withUnsafeMutableBufferPointer { pointer in
      String(cString: cff_strerror(code, pointer.baseAddress, pointer.count))
    }
    self.init(kind, code: code, operation: operation, message: text)
  }

  public var description: String { "\(operation): \(message)" }
}

/// Throws a `MediaError` of `kind` when an FFmpeg call returned a negative code.
@inline(__always)
func check(_ code: Int32, _ kind: MediaError.Kind, _ operation: @autoclosure () -> String) throws(MediaError) {
  if code < 0 { throw MediaError(kind, code: code, operation: operation()) }
}
