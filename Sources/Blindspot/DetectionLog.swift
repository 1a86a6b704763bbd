import BlindspotFiles
import BlindspotVision
import Foundation

/// `--detections F.jsonl`: every redacted box of every frame, one JSON object per line, for audit.
///
/// Line schema: `{"frame": Int, "pts": Int, "time": Double, "class": "face"|"plate",
/// "score": Double, "box": [x, y, width, height], "track": Int,
/// "source": "detected"|"interpolated"|"extrapolated"|"backfilled"}` with the box in output
/// pixels, margins included: exactly what was redacted.
/// Written to a temporary name and moved into place with the video, so it always matches it.
final class DetectionLog {
  private let file: AtomicFile
  private let handle: FileHandle
  private var pending = Data()
  /// One compact, key-sorted object per line.
  private let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  init(url: URL) throws {
    file = AtomicFile(finalURL: url)
    guard FileManager.default.createFile(atPath: file.temporaryURL.path, contents: nil) else {
      throw BlindspotError(.badInput, subject: url.path, reason: "cannot create the detections file")
    }
    handle = try FileHandle(forWritingTo: file.temporaryURL)
  }

  private struct Line: Encodable {
    let frame: Int
    let pts: Int64
    let time: Double
    let `class`: ObjectClass
    let score: Double
    let box: [Double]
    let track: Int
    let source: TrackedBox.Source
  }

  func record(frame: Int, pts: Int64, time: Double, boxes: [TrackedBox]) throws {
    for tracked in boxes {
      let b = tracked.box
      let line = Line(frame: frame, pts: pts, time: (time * 1000).rounded() / 1000, class: tracked.objectClass,
                      score: (tracked.score * 1000).rounded() / 1000,
                      box: [b.x, b.y, b.width, b.height].map { ($0 * 10).rounded() / 10 },
                      track: tracked.trackID, source: tracked.source)
      pending.append(try encoder.encode(line))
      pending.append(0x0A)
    }
    if pending.count > 1 << 16 { try flush() }
  }

  private func flush() throws {
    try handle.write(contentsOf: pending)
    pending.removeAll(keepingCapacity: true)
  }

  func commit() throws {
    try flush()
    try handle.close()
    try file.commit()
  }
}
