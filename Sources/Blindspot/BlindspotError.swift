import BlindspotMedia
import BlindspotSensor
import BlindspotStore
import BlindspotVision

/// A failure to anonymize one input, ready to print as one line and to map to an exit code.
///
/// The message names the file and the reason; it never carries pixels, tags or coordinates.
public struct BlindspotError: Error, CustomStringConvertible, Sendable {
  public let status: ExitStatus
  /// The input (or output) the failure is about, as the user named it.
  public let subject: String
  public let reason: String

  public init(_ status: ExitStatus, subject: String, reason: String) {
    self.status = status
    self.subject = subject
    self.reason = reason
  }

  public var description: String { subject.isEmpty ? reason : "\(subject): \(reason)" }

  /// Classifies a lower-level error raised while processing `subject`.
  public static func wrapping(_ error: any Error, subject: String) -> BlindspotError {
    switch error {
    case let error as BlindspotError:
      return error
    case let error as MediaError:
      let status: ExitStatus = switch error.kind {
      case .badInput, .unsupported: .badInput
      case .output: .retryableIO
      case .configuration: .usage
      }
      return BlindspotError(status, subject: subject, reason: error.description)
    case let error as VisionError:
      let status: ExitStatus = switch error.kind {
      case .model, .configuration: .usage
      case .inference: .policy
      case .redaction: .policy
      }
      return BlindspotError(status, subject: subject, reason: error.description)
    case let error as SensorError:
      let status: ExitStatus = switch error.kind {
      case .badInput: .badInput
      case .configuration: .usage
      case .io: .retryableIO
      }
      return BlindspotError(status, subject: error.file.isEmpty ? subject : error.file, reason: error.reason)
    case let error as StoreError:
      let status: ExitStatus = switch error.kind {
      case .configuration, .rejected: .usage
      case .policy: .policy
      case .conflict: .badInput
      case .unavailable: .retryableIO
      }
      return BlindspotError(status, subject: subject, reason: error.description)
    default:
      return BlindspotError(.retryableIO, subject: subject, reason: "\(error)")
    }
  }
}
