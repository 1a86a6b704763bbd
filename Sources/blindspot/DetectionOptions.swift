import ArgumentParser
import Foundation
import Blindspot
import BlindspotVision

/// Flags that decide what is found and how it is hidden, shared by `anonymize` and `eval` so an
/// evaluation measures exactly what an anonymization would do.
struct DetectionOptions: ParsableArguments {
  /// The library's defaults, so the command line and the API cannot drift apart.
  private static let defaults = AnonymizeOptions()

  @Option(help: "How regions are hidden: blur, pixelate or fill.")
  var style = DetectionOptions.defaults.style

  @Option(help: "Classes to redact, comma-separated: face,plate.",
          transform: { try $0.split(separator: ",").map { name in
            guard let value = ObjectClass(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
              throw ValidationError("unknown class '\(name)' (face, plate)")
            }
            return value
          } })
  var classes = DetectionOptions.defaults.classes

  @Option(help: "Grow every box by this fraction of its size on each side (sets both classes).")
  var margin: Double?
  @Option(name: .customLong("face-margin"), help: "Margin for faces (default 0.25: covers hair and chin).")
  var faceMargin: Double?
  @Option(name: .customLong("plate-margin"), help: "Margin for plates (default 0.15: covers the plate frame).")
  var plateMargin: Double?

  @Option(name: .customLong("face-threshold"), help: "Face score threshold (default: the model's).")
  var faceThreshold: Double?
  @Option(name: .customLong("plate-threshold"), help: "Plate score threshold (default: the model's).")
  var plateThreshold: Double?

  @Option(help: "Score hysteresis: detections down to this fraction of a class's threshold continue a track a detection over the threshold started, but start one only by recurring (--plate-weak-confirmations; 1: off).")
  var hysteresis = DetectionOptions.defaults.scoreHysteresis ?? 1
  @Option(name: .customLong("face-weak-confirmations"), help: "Face detections under the threshold (down to the hysteresis floor) that recur in one place on this many detector runs in a row start a track after all, reaching back to the first (0: never).")
  var faceWeakConfirmations = DetectionOptions.defaults.weakConfirmations?[.face] ?? 0
  @Option(name: .customLong("plate-weak-confirmations"), help: "The same for plates.")
  var plateWeakConfirmations = DetectionOptions.defaults.weakConfirmations?[.plate] ?? 0

  @Option(name: .customLong("face-model"), help: "Face model id from the model manifest.")
  var faceModel = DetectionOptions.defaults.faceModel
  @Option(name: .customLong("plate-model"), help: "Plate model id from the model manifest.")
  var plateModel = DetectionOptions.defaults.plateModel
  @Option(name: .customLong("plate-verifier"), help: "Plate verifier id from the model manifest, a second model that judges each plate box from its surroundings: a box it turns down starts a track only by recurring (none: off).")
  var plateVerifier = DetectionOptions.defaults.plateVerifier ?? "none"
  @Option(help: "Directory of installed models (default: $BLINDSPOT_MODELS, ~/.local/share/blindspot/models, /usr/local/share/blindspot/models).",
          completion: .directory)
  var models: String?

  @Option(name: .customLong("detect-every"), help: "Run detectors on every k-th frame; the tracker places boxes on the frames between.")
  var detectEvery = DetectionOptions.defaults.detectEvery
  @Option(help: "Detection cadence: adaptive (sooner when the scene or a track moves fast, up to 1/3 s apart when static or empty) or fixed (exactly every --detect-every frames).")
  var cadence: CadenceChoice = DetectionOptions.defaults.adaptiveCadence == nil ? .fixed : .adaptive
  @Option(name: .customLong("look-ahead"), help: "Seconds frames wait so a detection can reach back to the frames before it.")
  var lookAhead = DetectionOptions.defaults.lookAheadSeconds
  @Option(name: .customLong("keep-alive"), help: "Seconds a track stays redacted after its last detection (and before its first).")
  var keepAlive = DetectionOptions.defaults.trackKeepAliveSeconds
  @Option(name: .customLong("detect-size"), help: "Long side, in pixels, of the image the face detector sees.")
  var detectSize = DetectionOptions.defaults.detectionLongSide
  @Option(name: .customLong("plate-detect-size"), help: "Largest long side, in pixels, of the image the plate detector sees: larger frames are shrunk to it.")
  var plateDetectSize = DetectionOptions.defaults.detectionLongSide(for: .plate)
  @Option(name: .customLong("plate-enlarge-to"), help: "Long side, in pixels, toward which the plate detector enlarges smaller frames (at most --plate-detect-size); frames between the two are seen at their own size.")
  var plateEnlargeTo = DetectionOptions.defaults.plateEnlargementLongSide ?? DetectionOptions.defaults.detectionLongSide(for: .plate)
  @Option(name: .customLong("plate-enlarge"), help: "Largest factor by which the plate detector enlarges a frame smaller than --plate-enlarge-to, so small plates reach it at a size it finds (1: never).")
  var plateEnlarge = DetectionOptions.defaults.detectionMaxEnlargement(for: .plate)
  @Option(help: "Also detect on an N×N grid of overlapping tiles (1: off), for small objects in large frames.")
  var tiles = DetectionOptions.defaults.tiles

  @Option(name: .customLong("detector-threads"),
          help: "Threads each detector runs on (default: one per core).")
  var detectorThreads: Int?

  @Option(name: .customLong("on-detector-error"), help: "When detection fails on a frame: mask (black frame) or abort (no output).")
  var onDetectorError = DetectionOptions.defaults.onDetectorError

  func validate() throws {
    guard detectEvery >= 1 else { throw ValidationError("--detect-every must be at least 1") }
    let limited: [(flag: String, value: Double?, limit: OptionLimit)] = [
      ("--detect-size", Double(detectSize), .detectionSize), ("--plate-detect-size", Double(plateDetectSize), .detectionSize),
      ("--plate-enlarge-to", Double(plateEnlargeTo), .detectionSize), ("--plate-enlarge", plateEnlarge, .plateEnlargement),
      ("--tiles", Double(tiles), .tiles), ("--hysteresis", hysteresis, .scoreHysteresis),
      ("--face-weak-confirmations", Double(faceWeakConfirmations), .weakConfirmations),
      ("--plate-weak-confirmations", Double(plateWeakConfirmations), .weakConfirmations),
      ("--margin", margin, .margin), ("--face-margin", faceMargin, .margin), ("--plate-margin", plateMargin, .margin),
      ("--face-threshold", faceThreshold, .scoreThreshold), ("--plate-threshold", plateThreshold, .scoreThreshold),
      ("--look-ahead", lookAhead, .trackSeconds), ("--keep-alive", keepAlive, .trackSeconds),
    ]
    for (flag, value, limit) in limited {
      if let value, let problem = limit.problem(with: value) { throw ValidationError("\(flag) \(problem)") }
    }
    if let detectorThreads, !(1...256).contains(detectorThreads) { throw ValidationError("--detector-threads takes 1 to 256") }
    guard !classes.isEmpty else { throw ValidationError("--classes needs at least one class") }
  }

  /// Sets `options` from the flags, and the process-wide detector thread count (a property of
  /// the machine, not of the output, so it is not recorded in the sidecar).
  func apply(to options: inout AnonymizeOptions) {
    if let detectorThreads { DetectorThreads.count = detectorThreads }
    options.style = style
    options.classes = classes
    if let margin { options.margins = [.face: margin, .plate: margin] }
    if let faceMargin { options.margins[.face] = faceMargin }
    if let plateMargin { options.margins[.plate] = plateMargin }
    if let faceThreshold { options.thresholds[.face] = faceThreshold }
    if let plateThreshold { options.thresholds[.plate] = plateThreshold }
    options.scoreHysteresis = hysteresis
    options.weakConfirmations = [.face: faceWeakConfirmations, .plate: plateWeakConfirmations]
    options.faceModel = faceModel
    options.plateModel = plateModel
    options.plateVerifier = plateVerifier == "none" ? nil : plateVerifier
    options.detectEvery = detectEvery
    options.adaptiveCadence = cadence == .adaptive ? (options.adaptiveCadence ?? AdaptiveCadence()) : nil
    options.detectionLongSide = detectSize
    options.plateDetectionLongSide = plateDetectSize
    options.plateEnlargementLongSide = plateEnlargeTo
    options.plateDetectionMaxEnlargement = plateEnlarge
    options.tiles = tiles
    options.lookAheadSeconds = lookAhead
    options.trackKeepAliveSeconds = keepAlive
    options.onDetectorError = onDetectorError
  }

  /// The installed models, from `--models` or the default places.
  func catalog() throws(BlindspotError) -> ModelCatalog {
    do {
      return try ModelCatalog(directory: models.map { URL(fileURLWithPath: $0) })
    } catch {
      throw BlindspotError.wrapping(error, subject: "")
    }
  }
}
