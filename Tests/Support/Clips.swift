import Foundation

/// Small clips built from real photos with the `ffmpeg` CLI, with exact ground truth.
public enum Clips {
  /// The astronaut (one face) beside the rear of a car with a Swedish plate (a 512×512 crop of
  /// alpr-test.jpg), 1024×512, still. The plate is one the default plate model finds at any detector
  /// size: the test is about redaction, not recall (`blindspot eval` measures that).
  public struct FaceAndPlate {
    public let url: URL
    public let width = 1024
    public let height = 512
    public let frames: Int
    public let face = (x: 180, y: 60, width: 90, height: 122)
    public let plate = (x: 512 + 17, y: 236, width: 128, height: 40)
  }

  /// H.264 in MP4 with an AAC tone and the tags a dashcam writes (title, location, make, model,
  /// creation time, a stream title): everything an anonymizer must strip.
  public static func faceAndPlate(in directory: URL, frames: Int = 12, container: String = "mp4") throws -> FaceAndPlate {
    let url = directory.appendingPathComponent("face-and-plate.\(container)")
    try Subprocess.ffmpeg([
      "-loop", "1", "-framerate", "12", "-i", Fixtures.asset("astronaut.png").path,
      "-loop", "1", "-framerate", "12", "-i", Fixtures.asset("alpr-test.jpg").path,
      "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
      "-filter_complex", "[0:v]scale=512:512,format=yuv420p[a];[1:v]crop=512:512:560:257,format=yuv420p[b];[a][b]hstack=inputs=2[v]",
      "-map", "[v]", "-map", "2:a", "-frames:v", "\(frames)", "-t", "\(Double(frames) / 12)",
      "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-g", "6", "-c:a", "aac", "-b:a", "64k",
      "-metadata", "title=Trip to grandmother", "-metadata", "location=+48.8584+002.2945/",
      "-metadata", "make=Tesla", "-metadata", "model=Model 3", "-metadata", "creation_time=2026-11-02T08:14:03Z",
      "-metadata:s:v", "title=front camera SN-4711", url.path,
    ])
    return FaceAndPlate(url: url, frames: frames)
  }

  /// The same scene re-encoded by the `ffmpeg` CLI with the same encoder settings and no
  /// redaction: the reference for "the rest of the frame is unchanged".
  public static func plainReencode(_ input: URL, to output: URL, preset: String = "veryfast", crf: Int = 23) throws {
    try Subprocess.ffmpeg(["-i", input.path, "-map", "0:v:0", "-c:v", "libx264", "-preset", preset, "-crf", "\(crf)", output.path])
  }
}
