import Foundation

/// The luma of every frame of a video, decoded by the `ffmpeg` CLI: what a viewer would see.
public struct GrayFrames {
  public let width: Int
  public let height: Int
  public let frames: [[UInt8]]

  public init(_ url: URL, width: Int, height: Int) throws {
    let result = try Subprocess.run("ffmpeg", ["-v", "error", "-i", url.path, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "-"])
    guard result.status == 0 else { throw FixtureError("decoding \(url.lastPathComponent) failed: \(result.standardError)") }
    let size = width * height
    let bytes = [UInt8](result.standardOutput)
    guard size > 0, bytes.count % size == 0 else { throw FixtureError("decoded size \(bytes.count) is not a multiple of \(width)×\(height)") }
    self.width = width
    self.height = height
    frames = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<($0 + size)]) }
  }

  /// Mean squared Laplacian inside a rectangle: high-frequency detail (edges, texture, features).
  public func detailEnergy(frame index: Int, x: Int, y: Int, width w: Int, height h: Int) -> Double {
    let pixels = frames[index]
    var sum = 0.0, count = 0
    for row in max(1, y)..<min(height - 1, y + h) {
      for column in max(1, x)..<min(width - 1, x + w) {
        let center = Double(pixels[row * width + column]) * 4
        let around = Double(pixels[row * width + column - 1]) + Double(pixels[row * width + column + 1])
          + Double(pixels[(row - 1) * width + column]) + Double(pixels[(row + 1) * width + column])
        sum += (center - around) * (center - around)
        count += 1
      }
    }
    return count > 0 ? sum / Double(count) : 0
  }

  /// PSNR against `other` over the pixels for which `include(x, y)` holds.
  public func psnr(_ other: GrayFrames, frame index: Int, where include: (Int, Int) -> Bool) -> Double {
    var squared = 0.0, count = 0
    for row in 0..<height {
      for column in 0..<width where include(column, row) {
        let difference = Double(frames[index][row * width + column]) - Double(other.frames[index][row * width + column])
        squared += difference * difference
        count += 1
      }
    }
    guard count > 0, squared > 0 else { return .infinity }
    return 10 * log10(255 * 255 / (squared / Double(count)))
  }

  public func mean(frame index: Int) -> Double {
    Double(frames[index].reduce(0) { $0 + Int($1) }) / Double(width * height)
  }
}
