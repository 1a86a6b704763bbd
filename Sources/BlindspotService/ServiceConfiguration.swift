import Blindspot
import BlindspotStore
import Foundation

/// Everything `blindspot serve` needs, from one YAML file (`blindspot.yaml`; the README's
/// "Running in the vehicle" lists every key).
///
/// The region and stores are the store module's own configuration, with its routing rule: a
/// store of another region than the vehicle's refuses the whole file (exit 3).
public struct ServiceConfiguration: Sendable {
  /// What becomes of a raw segment once its anonymized output is in every store of the region.
  public enum RawRetention: String, Sendable, CaseIterable {
    /// Keep it (the recorder's own rotation removes it). The default: deleting is never implied.
    case never
    /// Delete it after the journal records every store's copy, never before.
    case stored
  }

  public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
  }

  public var stores: StoreConfiguration
  public var region: Region { stores.region }
  /// The journal (`journal.sqlite`) and the staged outputs (`outbox/`) live here.
  public var stateDirectory: URL
  public var spool: SpoolSettings
  /// Live sources anonymized continuously, beside the spool.
  public var streams: [StreamSettings] = []
  public var anonymize: AnonymizeOptions
  /// Where the models are installed; nil searches the default places.
  public var modelsDirectory: URL?
  /// Sensor policy for telemetry embedded in the video; nil drops that telemetry.
  public var sensorPolicyFile: String?
  /// Segments anonymized at once (each run also uses the codec's and the detectors' threads).
  public var jobs: Int
  /// After SIGTERM: how long the segments in progress may take to finish before the service
  /// exits anyway, leaving them to the journal for the next start.
  public var shutdownGrace: Duration
  /// `host:port` for /healthz, /readyz, /metrics and /status; nil turns the endpoint off.
  public var listen: (host: String, port: Int)?
  public var logFormat: LogFormat
  public var logLevel: String

  public init(stores: StoreConfiguration, stateDirectory: URL, spool: SpoolSettings, anonymize: AnonymizeOptions = AnonymizeOptions(),
              modelsDirectory: URL? = nil, sensorPolicyFile: String? = nil, jobs: Int = 1, shutdownGrace: Duration = .seconds(20),
              listen: (host: String, port: Int)? = ("127.0.0.1", 9464), logFormat: LogFormat = .text, logLevel: String = "info") {
    self.stores = stores
    self.stateDirectory = stateDirectory
    self.spool = spool
    self.anonymize = anonymize
    self.modelsDirectory = modelsDirectory
    self.sensorPolicyFile = sensorPolicyFile
    self.jobs = jobs
    self.shutdownGrace = shutdownGrace
    self.listen = listen
    self.logFormat = logFormat
    self.logLevel = logLevel
  }

  public var journalURL: URL { stateDirectory.appendingPathComponent("journal.sqlite") }
  /// Finished outputs wait here, under their spool-relative paths, until every store has them.
  public var outboxDirectory: URL { stateDirectory.appendingPathComponent("outbox", isDirectory: true) }
}

/// The spool a recorder fills with camera segments.
public struct SpoolSettings: Sendable {
  public enum Layout: String, Sendable, CaseIterable {
    /// `RecentClips/`, `SavedClips/<event>/`, `SentryClips/<event>/` with
    /// `YYYY-MM-DD_HH-MM-SS-<camera>.mp4`: the cameras of one minute form a group, and event
    /// folders go before the rolling buffer.
    case teslacam
    /// Any video file matching `include`, anywhere below the spool; each file is its own group.
    case generic
  }

  public var directory: URL
  public var layout: Layout
  /// File-name patterns (fnmatch) of segments, for the generic layout.
  public var include: [String]
  /// A segment is complete when its size and modification time have not changed for this long
  /// (the recorder closed it); nothing younger is touched.
  public var settle: Duration
  /// How often the spool is scanned.
  public var pollInterval: Duration
  /// Take a segment as soon as the kernel reports its writer closed it (inotify), without
  /// waiting `settle`; where inotify is unavailable the settle rule alone applies.
  public var inotify: Bool
  /// When raw segments waiting in the spool exceed this many bytes, the oldest rolling-buffer
  /// segments are skipped (recorded and counted, never deleted); event clips are never skipped.
  public var backlogBudgetBytes: Int64?
  public var deleteRaw: ServiceConfiguration.RawRetention

  public init(directory: URL, layout: Layout = .teslacam, include: [String] = ["*.mp4", "*.mov", "*.mkv", "*.ts"],
              settle: Duration = .seconds(5), pollInterval: Duration = .seconds(1), inotify: Bool = true,
              backlogBudgetBytes: Int64? = nil,
              deleteRaw: ServiceConfiguration.RawRetention = .never) {
    self.directory = directory
    self.layout = layout
    self.include = include
    self.settle = settle
    self.pollInterval = pollInterval
    self.inotify = inotify
    self.backlogBudgetBytes = backlogBudgetBytes
    self.deleteRaw = deleteRaw
  }
}
