import BlindspotMedia
import Foundation

/// Reads the luma of a video's frames at full resolution, one frame at a time, for comparing
/// another tool's output with its input. Evaluation only: the bytes stay in memory.
final class LumaReader {
  let width: Int
  let height: Int
  private let demuxer: Demuxer
  private let decoder: VideoDecoder
  private let video: StreamInfo
  private let scaler = DetectionScaler()
  private let packet = Packet()
  private var draining = false

  /// Reads `url`, scaled to `size` when given (tools that round sizes to multiples of 16 are
  /// compared at the input's size).
  init(_ url: URL, size: (width: Int, height: Int)? = nil) throws {
    demuxer = try Demuxer(url: url.path)
    video = try demuxer.bestVideoStream()
    decoder = try VideoDecoder(demuxer: demuxer, stream: video)
    width = size?.width ?? video.width
    height = size?.height ?? video.height
  }

  /// The next frame's luma (`width`×`height` bytes), or nil at the end.
  func next() throws -> [UInt8]? {
    while true {
      if let frame = try decoder.receive() { return try scaler.thumbnail(of: frame, width: width, height: height) }
      if draining { return nil }
      if try demuxer.read(into: packet) == .endOfFile {
        try decoder.sendEndOfStream()
        draining = true
      } else if packet.streamIndex == video.index {
        _ = try decoder.send(packet)
      }
    }
  }

  /// Mean squared Laplacian inside `box`: how much fine detail (features, characters) it shows.
  static func detail(_ pixels: [UInt8], width: Int, height: Int, in box: (x: Int, y: Int, width: Int, height: Int)) -> Double {
    var sum = 0.0, count = 0
    for row in max(1, box.y)..<min(height - 1, box.y + box.height) {
      for column in max(1, box.x)..<min(width - 1, box.x + box.width) {
        let i = row * width + column
        let laplacian = 4 * Double(pixels[i]) - Double(pixels[i - 1]) - Double(pixels[i + 1]) - Double(pixels[i - width]) - Double(pixels[i + width])
        sum += laplacian * laplacian
        count += 1
      }
    }
    return count == 0 ? 0 : sum / Double(count)
  }
}
