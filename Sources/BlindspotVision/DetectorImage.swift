/// A packed BGR image (3 bytes per pixel) lent to a detector for one call.
///
/// Important: the pixels are only valid during `Detector.detect`; a detector must not keep them.
public struct DetectorImage {
  public let pixels: UnsafeRawPointer
  public let width: Int
  public let height: Int
  /// Bytes per row, at least `width * 3`.
  public let stride: Int

  public init(pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int) {
    precondition(width > 0 && height > 0 && stride >= width * 3, "invalid detector image geometry")
    self.pixels = pixels
    self.width = width
    self.height = height
    self.stride = stride
  }
}

/// Finds objects of one class in an image. The seam the pipeline is tested through.
///
/// A detector is used from one thread at a time (it owns inference state); load one per worker.
public protocol Detector: AnyObject {
  var objectClass: ObjectClass { get }
  /// The model id and sha256 recorded in each output's sidecar.
  var modelID: String { get }
  var modelSHA256: String { get }
  /// The image size the detector wants, given the frame's size: the pipeline scales to this.
  func preferredImageSize(forFrameWidth width: Int, height: Int) -> (width: Int, height: Int)
  /// Detections with boxes normalized to the image (0…1). Throws `VisionError.inference` when
  /// inference fails; the caller must then treat the frame as unsafe (fail closed).
  func detect(_ image: DetectorImage) throws(VisionError) -> [Detection]
  /// The score a detection needs to start a track. A detector may also report weaker ones
  /// (score hysteresis): the tracker lets those continue a track already started, never start one.
  var startScore: Double { get }
  /// The verifier that judges this detector's boxes (`Detection.verified`), recorded in the
  /// sidecar like the detector's own model; nil without one.
  var verifier: (id: String, sha256: String)? { get }
}

extension Detector {
  /// Every detection may start a track.
  public var startScore: Double { 0 }
  public var verifier: (id: String, sha256: String)? { nil }
}
