import CVision

/// A detector backed by an OpenCV DNN network through the C shim: CenterFace or an SSD.
///
/// Owns one `bs_detector`, bound to one input size for life (OpenCV 4.6 gives wrong outputs
/// when a network is reused at another size). Not thread-safe: one per worker.
public final class DNNDetector: Detector {
  public let objectClass: ObjectClass
  public let modelID: String
  public let modelSHA256: String
  public let inputWidth: Int
  public let inputHeight: Int
  public let startScore: Double
  public let verifier: (id: String, sha256: String)?
  private let verifierThreshold: Double
  private let letterbox: Bool
  private let maxEnlargement: Double
  private let handle: OpaquePointer
  private var found: [bs_detection]

  /// Loads `modelID` from `catalog`, sized for frames of `frameWidth`×`frameHeight`: fully
  /// convolutional models see a frame larger than `longSide` shrunk to it, and a frame smaller
  /// than `enlargeTo` (at most `longSide`; nil: `longSide`) enlarged toward it by at most
  /// `maxEnlargement` (1: never); a frame between the two at its own size. The input keeps the
  /// frame's aspect.
  /// `threshold` overrides the manifest's score threshold: the score that starts a track.
  /// `hysteresis` (0…1] is the fraction of it down to which detections are still reported, to
  /// continue tracks (1: none weaker than the threshold).
  /// `verifierID` names a verifier from `catalog` (task `<class>-verifier`) that judges every box
  /// from the context around it; a box it scores under its manifest threshold is reported with
  /// `verified` false (weak). nil: none.
  /// The corresponding C functions are `bs_detector_create` and `bs_detector_set_verifier`.
  public init(catalog: ModelCatalog, modelID: String, frameWidth: Int, frameHeight: Int, longSide: Int = 640,
              enlargeTo: Int? = nil, maxEnlargement: Double = 1, threshold: Double? = nil, hysteresis: Double = 1,
              verifierID: String? = nil, maxDetections: Int = 256) throws(VisionError) {
    let entry = try catalog.entry(modelID)
    guard let objectClass = entry.objectClass else {
      throw VisionError(.configuration, "model '\(modelID)' has unknown task '\(entry.task)'")
    }
    guard let modelFile = entry.modelFile else { throw VisionError(.model, "model '\(modelID)' lists no model file") }
    let modelPath = try catalog.verifiedPath(of: modelFile, model: modelID)
    let configPath = try entry.configFile.map { (file) throws(VisionError) in try catalog.verifiedPath(of: file, model: modelID) }

    var params: bs_detector_params
    switch entry.architecture {
    case "centerface": params = bs_detector_default_params(BS_DETECTOR_CENTERFACE)
    case "ssd": params = bs_detector_default_params(BS_DETECTOR_SSD)
    default: throw VisionError(.configuration, "model '\(modelID)' has unknown architecture '\(entry.architecture)'")
    }
    let enlargement = max(1, maxEnlargement)
    let size = Self.inputSize(entry.input, frameWidth: frameWidth, frameHeight: frameHeight, longSide: longSide,
                              enlargeTo: enlargeTo ?? longSide, maxEnlargement: enlargement)
    params.input_width = Int32(size.width)
    params.input_height = Int32(size.height)
    params.letterbox = entry.input.multipleOf == nil ? 0 : 1
    params.swap_rb = entry.input.channels.lowercased() == "rgb" ? 1 : 0
    let mean = entry.input.mean + [0, 0, 0]
    params.mean = (Float(mean[0]), Float(mean[1]), Float(mean[2]))
    params.scale = Float(entry.input.scale)
    let startScore = threshold ?? entry.scoreThreshold ?? Double(params.score_threshold)
    params.score_threshold = Float(startScore * min(1, max(0, hysteresis)))
    params.class_id = Int32(entry.classID ?? -1)

    DetectorThreads.apply()
    var handle: OpaquePointer? = nil
    var error = [CChar](repeating: 0, count: 512)
    let status = bs_detector_create(modelPath, configPath, &params, &handle, &error, error.count)
    guard status == BS_OK, let handle else {
      throw VisionError(.model, "model '\(modelID)': OpenCV could not load it: \(shimMessage(error))")
    }
    self.handle = handle
    do throws(VisionError) {
      let verifierEntry = try verifierID.map { (id) throws(VisionError) in
        try Self.attachVerifier(id, for: objectClass, from: catalog, to: handle)
      }
      self.verifier = verifierEntry.map { ($0.id, $0.sha256) }
      self.verifierThreshold = verifierEntry?.threshold ?? 0
    } catch {
      bs_detector_destroy(handle)
      throw error
    }
    self.objectClass = objectClass
    self.modelID = modelID
    self.modelSHA256 = modelFile.sha256
    self.inputWidth = size.width
    self.inputHeight = size.height
    self.startScore = startScore
    self.letterbox = params.letterbox != 0
    self.maxEnlargement = enlargement
    self.found = Array(repeating: bs_detection(), count: maxDetections)
  }

  deinit { bs_detector_destroy(handle) }

  /// Loads the verifier `id` (hash-checked) into the shim's detector.
  private static func attachVerifier(_ id: String, for objectClass: ObjectClass, from catalog: ModelCatalog,
                                     to handle: OpaquePointer) throws(VisionError)
    -> (id: String, sha256: String, threshold: Double) {
    let entry = try catalog.entry(id)
    guard entry.task == "\(objectClass.rawValue)-verifier" else {
      throw VisionError(.configuration, "model '\(id)' is a \(entry.task) model, not a \(objectClass.rawValue) verifier")
    }
    guard let file = entry.modelFile else { throw VisionError(.model, "model '\(id)' lists no model file") }
    let path = try catalog.verifiedPath(of: file, model: id)
    var error = [CChar](repeating: 0, count: 512)
    let status = bs_detector_set_verifier(handle, path, Int32(entry.input.width), Int32(entry.input.height),
                                          Float(entry.input.scale), &error, error.count)
    guard status == BS_OK else {
      throw VisionError(.model, "model '\(id)': OpenCV could not load it: \(shimMessage(error))")
    }
    return (id, file.sha256, entry.scoreThreshold ?? 0.5)
  }

  /// Fixed-size networks use their own size; fully convolutional ones get the frame's aspect,
  /// shrunk to `longSide` or enlarged toward `enlargeTo` (see `init`), rounded up to their
  /// multiple (the shim pads the rest).
  static func inputSize(_ input: ModelManifest.Input, frameWidth: Int, frameHeight: Int, longSide: Int,
                        enlargeTo: Int, maxEnlargement: Double) -> (width: Int, height: Int) {
    guard let multiple = input.multipleOf, multiple > 0, frameWidth > 0, frameHeight > 0 else {
      return (input.width, input.height)
    }
    let frameLongSide = Double(max(frameWidth, frameHeight))
    let fit = frameLongSide > Double(longSide)
      ? Double(longSide) / frameLongSide
      : min(maxEnlargement, max(1, Double(min(enlargeTo, longSide)) / frameLongSide))
    func roundUp(_ value: Double) -> Int { max(multiple, Int((value / Double(multiple)).rounded(.up)) * multiple) }
    return (roundUp(Double(frameWidth) * fit), roundUp(Double(frameHeight) * fit))
  }

  public func preferredImageSize(forFrameWidth width: Int, height: Int) -> (width: Int, height: Int) {
    guard letterbox else { return (inputWidth, inputHeight) }
    // The frame scaled to fit the input; the shim pads it to the network's multiple.
    let fit = min(Double(inputWidth) / Double(width), Double(inputHeight) / Double(height), maxEnlargement)
    return (max(1, Int((Double(width) * fit).rounded())), max(1, Int((Double(height) * fit).rounded())))
  }

  /// The corresponding C function is `bs_detector_detect`.
  public func detect(_ image: DetectorImage) throws(VisionError) -> [Detection] {
    var count: Int32 = 0
    var error = [CChar](repeating: 0, count: 512)
    let capacity = Int32(found.count)
    let status = found.withUnsafeMutableBufferPointer { buffer in
      bs_detector_detect(handle, image.pixels.assumingMemoryBound(to: UInt8.self), Int32(image.width),
                         Int32(image.height), image.stride, buffer.baseAddress, capacity, &count, &error, error.count)
    }
    guard status == BS_OK else {
      throw VisionError(.inference, "model '\(modelID)': inference failed: \(shimMessage(error))")
    }
    return found.prefix(Int(count)).map {
      Detection(objectClass: objectClass,
                box: Box(x: Double($0.x), y: Double($0.y), width: Double($0.width), height: Double($0.height)),
                score: Double($0.score),
                verified: verifier == nil ? nil : Double($0.verifier_score) >= verifierThreshold)
    }
  }
}

@available(*, unavailable, message: "A detector owns inference state; give each worker its own")
extension DNNDetector: Sendable {}
