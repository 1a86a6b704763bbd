import Foundation

/// What FFmpeg's own prober says about a file: the independent check of our outputs.
public struct Probe {
  public let format: [String: Any]
  public let streams: [[String: Any]]

  public init(_ url: URL) throws {
    let result = try Subprocess.run("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", url.path])
    guard result.status == 0,
          let json = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
    else { throw FixtureError("ffprobe failed on \(url.lastPathComponent): \(result.standardError)") }
    format = json["format"] as? [String: Any] ?? [:]
    streams = json["streams"] as? [[String: Any]] ?? []
  }

  public var videoStreams: [[String: Any]] { streams.filter { $0["codec_type"] as? String == "video" } }
  public var audioStreams: [[String: Any]] { streams.filter { $0["codec_type"] as? String == "audio" } }

  /// Every tag on the container and on every stream, keys lowercased.
  public var allTags: [String: String] {
    var tags: [String: String] = [:]
    for source in [format] + streams {
      for (key, value) in source["tags"] as? [String: Any] ?? [:] { tags[key.lowercased()] = "\(value)" }
    }
    return tags
  }

  /// When each decoded video frame is shown, in seconds: the best-effort timestamp a player uses
  /// (containers such as AVI store only decode times; FFmpeg derives presentation times from them).
  public static func framePresentationTimes(_ url: URL) throws -> [Double] {
    let result = try Subprocess.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time",
                                                "-of", "csv=p=0", url.path])
    guard result.status == 0 else { throw FixtureError("ffprobe frames failed: \(result.standardError)") }
    // A frame with side data prints an extra empty field ("0.000000,"): keep the first field only.
    return result.output.split(separator: "\n").compactMap { line in
      line.split(separator: ",").first.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
  }

  /// The rotation a player applies, from the display-matrix side data (0 when none).
  public static func rotation(_ url: URL) throws -> Int {
    let result = try Subprocess.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                "stream_side_data=rotation", "-of", "csv=p=0", url.path])
    return Int(result.output.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "") ?? 0
  }
}
