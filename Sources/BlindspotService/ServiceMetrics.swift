import Metrics
import Prometheus

/// The service's metrics, in a registry of its own that `/metrics` prints in Prometheus' text
/// format. Labels carry states, classes, stores and reasons — never paths, plates or places.
///
/// Thread-safety: `Sendable`; swift-metrics handles are thread-safe.
public struct ServiceMetrics: Sendable {
  public let registry = PrometheusCollectorRegistry()
  private let factory: PrometheusMetricsFactory

  public init() {
    factory = PrometheusMetricsFactory(registry: registry)
  }

  /// Segments per journal state (set after every change).
  public func segments(_ state: SegmentState) -> Metrics.Gauge {
    Metrics.Gauge(label: "blindspot_segments", dimensions: [("state", state.rawValue)], factory: factory)
  }

  public var framesTotal: Metrics.Counter { Metrics.Counter(label: "blindspot_frames_total", factory: factory) }
  /// Frames per second of the last anonymized segment.
  public var framesPerSecond: Metrics.Gauge { Metrics.Gauge(label: "blindspot_frames_per_second", factory: factory) }

  public func detections(_ objectClass: String) -> Metrics.Counter {
    Metrics.Counter(label: "blindspot_detections_total", dimensions: [("class", objectClass)], factory: factory)
  }

  public func redactedBoxes(_ objectClass: String) -> Metrics.Counter {
    Metrics.Counter(label: "blindspot_redacted_boxes_total", dimensions: [("class", objectClass)], factory: factory)
  }

  public var maskedFrames: Metrics.Counter { Metrics.Counter(label: "blindspot_masked_frames_total", factory: factory) }
  /// Segments complete in the spool and waiting (or retrying), and those being anonymized now.
  public var queueDepth: Metrics.Gauge { Metrics.Gauge(label: "blindspot_queue_depth", factory: factory) }
  public var inProgress: Meter { Meter(label: "blindspot_segments_in_progress", factory: factory) }
  public var spoolBytes: Metrics.Gauge { Metrics.Gauge(label: "blindspot_spool_bytes", factory: factory) }

  public func uploadBytes(store: String) -> Metrics.Counter {
    Metrics.Counter(label: "blindspot_upload_bytes_total", dimensions: [("store", store)], factory: factory)
  }

  public func uploadFailures(store: String) -> Metrics.Counter {
    Metrics.Counter(label: "blindspot_upload_failures_total", dimensions: [("store", store)], factory: factory)
  }

  public var policyViolations: Metrics.Counter { Metrics.Counter(label: "blindspot_policy_violations_total", factory: factory) }

  public func failures(_ reason: String) -> Metrics.Counter {
    Metrics.Counter(label: "blindspot_segment_failures_total", dimensions: [("reason", reason)], factory: factory)
  }

  public func skipped(_ reason: String) -> Metrics.Counter {
    Metrics.Counter(label: "blindspot_segments_skipped_total", dimensions: [("reason", reason)], factory: factory)
  }

  public var rawDeleted: Metrics.Counter { Metrics.Counter(label: "blindspot_raw_segments_deleted_total", factory: factory) }

  /// The Prometheus text exposition of every metric.
  public func exposition() -> String { registry.emitToString() }
}
