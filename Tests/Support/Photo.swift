import Foundation

/// A photo decoded to packed BGR by the `ffmpeg` CLI, the layout detectors read.
public struct Photo {
  public let width: Int
  public let height: Int
  public let bgr: [UInt8]

  public init(_ url: URL) throws {
    let probe = try Subprocess.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                                               "-of", "csv=p=0", url.path])
    let numbers = probe.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
    guard numbers.count == 2 else { throw FixtureError("cannot read the size of \(url.lastPathComponent)") }
    let decoded = try Subprocess.run("ffmpeg", ["-v", "error", "-i", url.path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"])
    guard decoded.status == 0, decoded.standardOutput.count == numbers[0] * numbers[1] * 3 else {
      throw FixtureError("cannot decode \(url.lastPathComponent): \(decoded.standardError)")
    }
    width = numbers[0]
    height = numbers[1]
    bgr = [UInt8](decoded.standardOutput)
  }
}
