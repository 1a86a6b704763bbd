import Benchmark
import BlindspotMedia
import BlindspotVision
import Foundation

/// The per-frame kernels of the pipeline, measured alone. Setup (frames, models, planes) happens
/// outside the measured closure; the photos and models come from scripts/fetch-assets.sh and
/// models/fetch.sh, like the tests'.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(2))

  // Redaction on the planes of a 1080p 4:2:0 frame, per style and box size.
  for style in RedactionStyle.allCases {
    for side in [32, 128, 512] {
      Benchmark("redact \(style.rawValue) \(side)px box, 1080p") { benchmark in
        let planes = Planes1080p()
        let box = Box(x: 700, y: 300, width: Double(side), height: Double(side) * 1.25)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
          try Redactor(style: style).redact([box], planes: planes.views, frameWidth: 1920, frameHeight: 1080)
        }
      }
    }
  }

  // The tracker's update and box placement with 1, 10 and 100 objects moving.
  for count in [1, 10, 100] {
    Benchmark("tracker update + boxes, \(count) tracks") { benchmark in
      let tracker = Tracker()
      var frame = 0
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        let detections = (0..<count).map { index in
          Detection(objectClass: .face, box: Box(x: Double(index % 20) * 90 + Double(frame), y: Double(index / 20) * 200,
                                                 width: 40, height: 50), score: 0.9)
        }
        tracker.update(frame: frame, detections: detections)
        blackHole(tracker.boxes(at: frame))
        tracker.forget(before: frame - 15)
        frame += 1
      }
    }
  }

  // The detector image (YUV → small BGR, area filter) and each detector on a real 1080p frame.
  Benchmark("downscale a 500×375 photo → 960×540 BGR") { benchmark in
    let decoded = try DecodedPhoto(asset: "dlib-faces/2008_002506.jpg")
    let scaler = DetectionScaler()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      try decoded.withFrame { frame in try scaler.withImage(of: frame, width: 960, height: 540) { blackHole($0.width) } }
    }
  }

  for (model, longSide) in [("centerface", 640), ("centerface", 960), ("hyperlpr-ssd", 640), ("hyperlpr-ssd", 960),
                            ("blindspot-plates-v2", 960), ("blindspot-plates-v2", 1440), ("res10-ssd-face", 300)] {
    Benchmark("detect \(model) at \(longSide)px") { benchmark in
      let decoded = try DecodedPhoto(asset: "dlib-faces/2008_002506.jpg")
      let detector = try DNNDetector(catalog: try ModelCatalog(), modelID: model, frameWidth: 1920, frameHeight: 1080, longSide: longSide)
      let size = detector.preferredImageSize(forFrameWidth: 1920, height: 1080)
      let scaler = DetectionScaler()
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        try decoded.withFrame { frame in
          try scaler.withImage(of: frame, width: size.width, height: size.height) { image in
            blackHole(try detector.detect(DetectorImage(pixels: image.pixels, width: image.width, height: image.height, stride: image.stride)))
          }
        }
      }
    }
  }
}

/// Three planes of a 1920×1080 4:2:0 picture with texture, owned for the benchmark's lifetime.
final class Planes1080p {
  private let luma = UnsafeMutableRawPointer.allocate(byteCount: 1920 * 1080, alignment: 64)
  private let blue = UnsafeMutableRawPointer.allocate(byteCount: 960 * 540, alignment: 64)
  private let red = UnsafeMutableRawPointer.allocate(byteCount: 960 * 540, alignment: 64)

  init() {
    for (plane, count) in [(luma, 1920 * 1080), (blue, 960 * 540), (red, 960 * 540)] {
      let bytes = plane.assumingMemoryBound(to: UInt8.self)
      for index in 0..<count { bytes[index] = UInt8(truncatingIfNeeded: index &* 2654435761 >> 13) }
    }
  }

  deinit { [luma, blue, red].forEach { $0.deallocate() } }

  var views: [RedactionPlane] {
    [RedactionPlane(data: luma, linesize: 1920, width: 1920, height: 1080, channels: 1, bytesPerSample: 1, shiftX: 0, shiftY: 0, fill: (16, 16)),
     RedactionPlane(data: blue, linesize: 960, width: 960, height: 540, channels: 1, bytesPerSample: 1, shiftX: 1, shiftY: 1, fill: (128, 128)),
     RedactionPlane(data: red, linesize: 960, width: 960, height: 540, channels: 1, bytesPerSample: 1, shiftX: 1, shiftY: 1, fill: (128, 128))]
  }
}

/// A photo from the fetched assets, decoded by FFmpeg's image decoders and kept as a decoded frame:
/// a real picture for the scaler and the detectors (its own size, not 1080p).
final class DecodedPhoto {
  private let demuxer: Demuxer
  private let decoder: VideoDecoder
  private let frame: DecodedFrame

  init(asset: String) throws {
    let directory = ProcessInfo.processInfo.environment["BLINDSPOT_ASSETS"]
      ?? (NSHomeDirectory() + "/.cache/blindspot/assets")
    demuxer = try Demuxer(url: directory + "/" + asset)
    decoder = try VideoDecoder(demuxer: demuxer, stream: try demuxer.bestVideoStream())
    let packet = Packet()
    var found: DecodedFrame? = nil
    while found == nil, try demuxer.read(into: packet) == .packet {
      _ = try decoder.send(packet)
      found = try decoder.receive()
    }
    if found == nil {
      try decoder.sendEndOfStream()
      found = try decoder.receive()
    }
    guard let decoded = found else { throw MediaError(.badInput, operation: "decode photo", message: asset) }
    frame = decoded
  }

  func withFrame<R>(_ body: (borrowing DecodedFrame) throws -> R) rethrows -> R { try body(frame) }
}
