import BlindspotSensor
import BlindspotVision
import Foundation

/// `OUT.anon.json`: what produced an output and from what, so batch runs can skip finished work
/// and auditors can see which models and parameters were applied. Contains no pixels, no tags of
/// the input and no coordinates.
public struct Sidecar: Codable, Sendable, Equatable {
  public struct Tool: Codable, Sendable, Equatable {
    public var name = "blindspot"
    public var version = BlindspotVersion.current
  }

  public struct Input: Codable, Sendable, Equatable {
    /// The input as named on the command line ("-" for standard input).
    public var name: String
    /// sha256 of the input file's bytes; nil for standard input and URLs.
    public var sha256: String?
    public var bytes: Int64?
    /// The ETag of the S3 object the input was downloaded from (batch), so that a rerun can tell
    /// the object is unchanged without downloading it again; nil for other inputs.
    public var etag: String?
  }

  public struct Model: Codable, Sendable, Equatable {
    public var objectClass: ObjectClass
    public var id: String
    public var sha256: String

    enum CodingKeys: String, CodingKey {
      case objectClass = "class"
      case id, sha256
    }
  }

  public struct Counts: Codable, Sendable, Equatable {
    public var frames = 0
    /// Frames on which detectors ran (every frame unless `detect_every` > 1).
    public var detectedFrames = 0
    /// Detector hits, per class, summed over the frames detectors ran on: those the tracker kept
    /// (a box under the start score that continued no track is not counted).
    public var detections: [ObjectClass: Int] = [:]
    /// Boxes redacted, per class, summed over frames: detections plus the boxes the tracker
    /// placed between, after and before them.
    public var redactedBoxes: [ObjectClass: Int] = [:]
    /// Scene cuts and timestamp gaps, where tracks were ended.
    public var sceneCuts = 0
    /// The look-ahead window, in frames, and the most frames that actually waited in it: the
    /// bound on decoded frames held in memory.
    public var lookAheadFrames = 0
    public var peakWaitingFrames = 0
    /// Frames painted black because detection failed (fail closed).
    public var maskedFrames = 0
    public var audioPackets = 0

  }

  /// Telemetry embedded in the video frames (SEI user data), and what was done with it.
  public struct EmbeddedData: Codable, Sendable, Equatable {
    /// Tesla dashcam messages found (one per frame on recent firmware).
    public var teslaMessages = 0
    /// Tesla messages that could not be decoded: dropped.
    public var malformedDropped = 0
    /// Other SEI user data (encoder version strings, unknown vendors): dropped.
    public var otherPayloadsDropped = 0
    /// Packets of timed-text tracks read as NMEA by the sensor policy (without a policy those
    /// tracks are dropped with the other streams).
    public var subtitlePackets = 0
    /// True when a sensor policy turned the Tesla messages into `OUT.sensor.jsonl`; false when
    /// they were dropped.
    public var policyApplied = false
    /// The sensor policy's report (samples in and out, removals per rule), when one ran.
    public var report: SensorReport?
    /// sha256 of `OUT.sensor.jsonl` as committed, when a policy wrote it; nil for sidecars
    /// written before sensor files were stored with their video.
    public var sha256: String?
  }

  /// A sensor file that travelled beside the input (`clip.gpx`, `event.json`).
  public struct Companion: Codable, Sendable, Equatable {
    public var input: String
    /// The anonymized copy's name; nil when it was dropped (no sensor policy).
    public var output: String?
    public var samplesIn: Int?
    public var samplesOut: Int?
    /// The policy's report for this file (also written beside it as `NAME.report.json`, which
    /// the service does not store); nil for `event.json` and for older sidecars.
    public var report: SensorReport?
    /// sha256 of the anonymized copy as committed; nil when dropped, and for sidecars written
    /// before sensor files were stored with their video.
    public var sha256: String?
  }

  /// A stream of the input that is not in the output, and why.
  public struct DroppedStream: Codable, Sendable, Equatable {
    public var index: Int
    public var kind: String
    public var codec: String
    public var reason: String
  }

  public struct Timings: Codable, Sendable, Equatable {
    public var wallSeconds: Double
    public var framesPerSecond: Double
    /// Wall milliseconds per frame in each stage: decode, convert, scale, detect:<model>, redact,
    /// encode, mux (see StageTimer for what is and is not counted).
    public var stageMillisecondsPerFrame: [String: Double]

  }

  public var tool = Tool()
  public var input: Input
  public var output: String
  /// sha256 of the output file's bytes as committed; nil when nothing was written (evaluation).
  public var outputSHA256: String?
  /// The legal region the output belongs to; nil until a region is configured.
  public var region: String?
  public var models: [Model]
  public var parameters: AnonymizeOptions
  public var counts: Counts
  public var droppedStreams: [DroppedStream]
  public var embeddedData = EmbeddedData()
  public var companions: [Companion] = []
  public var timings: Timings

  // Spelled so that snake_case encoding and decoding agree: `output_sha256` decodes to
  // `outputSha256`, never to `outputSHA256`.
  enum CodingKeys: String, CodingKey {
    case tool, input, output, region, models, parameters, counts, droppedStreams, embeddedData, companions, timings
    case outputSHA256 = "outputSha256"
  }

  /// Where the sidecar of `output` lives: `clip.mp4` → `clip.mp4.anon.json`.
  public static func url(for output: URL) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".anon.json")
  }

  /// The anonymized sensor files the run wrote beside the output (`OUT.sensor.jsonl`, companions),
  /// by file name, with the sha256 each had when committed (nil in older sidecars).
  public var sensorFiles: [(name: String, sha256: String?)] {
    var files: [(name: String, sha256: String?)] = []
    if embeddedData.policyApplied { files.append((StageEmbeddedSensor.fileName(forOutput: output), embeddedData.sha256)) }
    for companion in companions { if let name = companion.output { files.append((name, companion.sha256)) } }
    return files
  }

  /// Pretty, key-sorted JSON with snake_case keys: stable bytes for the same run.
  public func encoded() throws -> Data {
    try ReportJSON.encoder().encode(self)
  }
}

extension Sidecar {
  /// Reads a sidecar written by `encoded()`.
  public static func decode(_ data: Data) throws -> Sidecar {
    try ReportJSON.decoder().decode(Sidecar.self, from: data)
  }
}
