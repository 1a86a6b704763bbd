import BlindspotMedia
import BlindspotVision
import Dispatch

/// The detect stage: scales a frame down for each detector, runs it, and maps the boxes back to
/// frame pixels (margins are applied later, after tracking).
///
/// Not thread-safe: owns detectors (inference state) and the scaler's buffer.
final class StageDetect {
  /// What detection concluded about one frame.
  enum Outcome {
    /// Boxes in frame pixels, as the detectors found them.
    case detected([Detection])
    /// A detector failed; the frame cannot be trusted (fail closed).
    case failed(VisionError)
  }

  private let detectors: [any Detector]
  let scaler = DetectionScaler()

  init(detectors: [any Detector]) { self.detectors = detectors }

  func run(on frame: borrowing DecodedFrame, timer: StageTimer) throws -> Outcome {
    let frameWidth = Double(frame.width), frameHeight = Double(frame.height)
    var found: [Detection] = []
    for detector in detectors {
      let size = detector.preferredImageSize(forFrameWidth: frame.width, height: frame.height)
      let start = DispatchTime.now().uptimeNanoseconds
      let result: Result<[Detection], VisionError> = try scaler.withImage(of: frame, width: size.width, height: size.height) { image in
        let scaled = DispatchTime.now().uptimeNanoseconds
        defer { timer.add("detect:\(detector.modelID)", nanoseconds: DispatchTime.now().uptimeNanoseconds - scaled) }
        timer.add("scale", nanoseconds: scaled - start)
        let view = DetectorImage(pixels: image.pixels, width: image.width, height: image.height, stride: image.stride)
        do throws(VisionError) {
          return .success(try detector.detect(view))
        } catch {
          return .failure(error)
        }
      }
      switch result {
      case .failure(let error): return .failed(error)
      case .success(let detections):
        found += detections.map { detection in
          var mapped = detection
          mapped.box = detection.box.scaled(x: frameWidth, y: frameHeight)
          return mapped
        }
      }
    }
    return .detected(found)
  }

  var models: [(objectClass: ObjectClass, id: String, sha256: String)] {
    detectors.map { ($0.objectClass, $0.modelID, $0.modelSHA256) }
  }
}
