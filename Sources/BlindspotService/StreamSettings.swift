import Foundation

/// A live camera stream the service anonymizes continuously (`streams:` in blindspot.yaml).
public struct StreamSettings: Sendable, Equatable {
  /// Names the stream's segments: `streams/<name>/<UTC start>.<ext>` in the stores.
  public var name: String
  /// Anything FFmpeg opens: `rtsp://`, `udp://`, `srt://` where built in, a FIFO, a device.
  public var url: String
  /// The source's container when FFmpeg cannot guess it (`mpegts` for a FIFO or UDP).
  public var inputFormat: String?
  /// A segment is closed at the first keyframe after this long, so it can be stored while the
  /// next one is recorded.
  public var segmentSeconds: Double
  /// `mp4` or `ts`: the container of the anonymized segments.
  public var container: String
  /// The longest wait between reconnection attempts when the source is down.
  public var maxReconnectDelay: Duration

  public init(name: String, url: String, inputFormat: String? = nil, segmentSeconds: Double = 60, container: String = "mp4",
              maxReconnectDelay: Duration = .seconds(30)) {
    self.name = name
    self.url = url
    self.inputFormat = inputFormat
    self.segmentSeconds = segmentSeconds
    self.container = container
    self.maxReconnectDelay = maxReconnectDelay
  }
}
