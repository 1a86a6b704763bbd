import BlindspotMedia
import BlindspotSensor
import BlindspotStore
import BlindspotVision
import Foundation

/// Anonymizes one input into one output: the pipeline
/// `Demux → Decode → (Convert) → Detect → Track → Redact → Encode → Mux`, drawn once in
/// `AnonymizeRun`, whose stages run on threads of their own.
///
/// Thread-safe: several `run`s may go on at once from different threads; each has its own
/// stages, codecs and detectors.
///
/// Important: the output appears under its final name only after the trailer is written and the
/// file is fsynced; any failure removes the partial file (invariant 5). Every frame is either
/// redacted with the boxes found on it or, when detection failed, masked whole (invariant 2).
public struct Anonymizer: Sendable {
  public var options: AnonymizeOptions
  public var detectors: any DetectorFactory
  public var progress: any ProgressReporter
  /// The legal region recorded in the sidecar, when one is configured.
  public var region: String?
  /// What to do with telemetry embedded in the frames; nil drops it (fail closed).
  public var sensorPolicy: SensorPolicy?

  public init(options: AnonymizeOptions, detectors: any DetectorFactory, progress: any ProgressReporter = SilentProgress(),
              region: String? = nil, sensorPolicy: SensorPolicy? = nil) {
    self.options = options
    self.detectors = detectors
    self.progress = progress
    self.region = region
    self.sensorPolicy = sensorPolicy
  }

  /// Runs the job; on success the output and its sidecar exist, on failure neither does.
  @discardableResult
  public func run(_ job: AnonymizeJob) throws(BlindspotError) -> Sidecar {
    do {
      return try perform(job)
    } catch {
      throw BlindspotError.wrapping(error, subject: job.name)
    }
  }

  private func perform(_ job: AnonymizeJob) throws -> Sidecar {
    try AnonymizeRun(anonymizer: self, job: job).perform()
  }
}
