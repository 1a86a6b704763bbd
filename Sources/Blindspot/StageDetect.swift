import BlindspotMedia
import BlindspotVision
import Dispatch

/// The detect stage: scales a frame down for each detector, runs it, and maps the boxes back to
/// frame pixels (margins are applied later, after tracking).
///
/// With tiles, each detector also runs on an N×N grid of overlapping tiles, each scaled to the
/// detector's input on its own, so small and distant objects are seen at up to N times the
/// resolution; the boxes of all passes are merged (non-maximum suppression per class).
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
  private let tiles: Int
  let scaler = DetectionScaler()

  /// `tiles` is the grid size (2 → 2×2 tiles plus the whole frame); 1 or less is off.
  init(detectors: [any Detector], tiles: Int = 1) {
    self.detectors = detectors
    self.tiles = tiles
  }

  func run(on frame: borrowing DecodedFrame, timer: StageTimer) throws -> Outcome {
    let regions = [nil] + Self.tileRegions(width: frame.width, height: frame.height, grid: tiles)
    var found: [Detection] = []
    for detector in detectors {
      var mine: [Detection] = []
      for region in regions {
        switch try detect(with: detector, on: frame, region: region, timer: timer) {
        case .failure(let error): return .failed(error)
        case .success(let detections): mine += detections
        }
      }
      found += regions.count > 1 ? Self.merge(mine) : mine
    }
    return .detected(found)
  }

  /// One detector on one region (nil: the whole frame); boxes in frame pixels.
  private func detect(with detector: any Detector, on frame: borrowing DecodedFrame, region: DetectionScaler.Region?,
                      timer: StageTimer) throws -> Result<[Detection], VisionError> {
    let area = region ?? .init(x: 0, y: 0, width: frame.width, height: frame.height)
    let size = detector.preferredImageSize(forFrameWidth: area.width, height: area.height)
    let start = DispatchTime.now().uptimeNanoseconds
    let result: Result<[Detection], VisionError> = try scaler.withImage(of: frame, region: region, width: size.width,
                                                                         height: size.height) { image in
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
    return result.map { detections in
      detections.map { detection in
        var mapped = detection
        mapped.box = detection.box.scaled(x: Double(area.width), y: Double(area.height))
        mapped.box.x += Double(area.x)
        mapped.box.y += Double(area.y)
        return mapped
      }
    }
  }

  /// An N×N grid of tiles overlapping by a tenth of a tile, so an object on a seam is whole in
  /// at least one tile (up to a tenth of the tile's size). Empty for N ≤ 1.
  static func tileRegions(width: Int, height: Int, grid: Int) -> [DetectionScaler.Region] {
    guard grid > 1 else { return [] }
    let tileWidth = Int((Double(width) / Double(grid) * 1.1).rounded(.up))
    let tileHeight = Int((Double(height) / Double(grid) * 1.1).rounded(.up))
    var regions: [DetectionScaler.Region] = []
    for row in 0..<grid {
      for column in 0..<grid {
        let x = grid == 1 ? 0 : (width - tileWidth) * column / (grid - 1)
        let y = grid == 1 ? 0 : (height - tileHeight) * row / (grid - 1)
        regions.append(.init(x: x, y: y, width: min(tileWidth, width - x), height: min(tileHeight, height - y)))
      }
    }
    return regions
  }

  /// Greedy non-maximum suppression over the passes of one detector: a box that overlaps a
  /// better one (IoU ≥ 0.4) or lies mostly inside it (a tile's cut-off part) is dropped.
  static func merge(_ detections: [Detection]) -> [Detection] {
    var kept: [Detection] = []
    for candidate in detections.sorted(by: { $0.score > $1.score }) {
      let duplicate = kept.contains { best in
        guard best.objectClass == candidate.objectClass else { return false }
        let shared = best.box.intersection(candidate.box).area
        return best.box.iou(candidate.box) >= 0.4 || shared >= 0.7 * min(best.box.area, candidate.box.area)
      }
      if !duplicate { kept.append(candidate) }
    }
    return kept
  }

  /// The score each class's detections need to start a track (weaker ones only continue one).
  var startScores: [ObjectClass: Double] {
    Dictionary(detectors.map { ($0.objectClass, $0.startScore) }, uniquingKeysWith: max)
  }

  /// Every model in use, detectors and their verifiers, for the sidecar.
  var models: [(objectClass: ObjectClass, id: String, sha256: String)] {
    detectors.flatMap { detector in
      [(detector.objectClass, detector.modelID, detector.modelSHA256)]
        + (detector.verifier.map { [(detector.objectClass, $0.id, $0.sha256)] } ?? [])
    }
  }
}
