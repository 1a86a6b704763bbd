import BlindspotVision
import Foundation

/// Makes the detectors for one video stream. The seam through which tests inject detectors that
/// fail, and through which the pipeline stays independent of where models come from.
public protocol DetectorFactory: Sendable {
  /// Detectors sized for frames of `width`×`height`, one per requested class. Throws a
  /// `VisionError.model` when a model is missing or corrupt: a start-up error, never "no detections".
  func makeDetectors(for classes: [ObjectClass], frameWidth: Int, frameHeight: Int) throws -> [any Detector]
}

/// The production factory: OpenCV DNN models from an installed, hash-checked catalog.
public struct CatalogDetectorFactory: DetectorFactory {
  public let catalog: ModelCatalog
  public let options: AnonymizeOptions

  public init(catalog: ModelCatalog, options: AnonymizeOptions) {
    self.catalog = catalog
    self.options = options
  }

  public func makeDetectors(for classes: [ObjectClass], frameWidth: Int, frameHeight: Int) throws -> [any Detector] {
    try classes.map { objectClass in
      try DNNDetector(catalog: catalog, modelID: options.modelID(for: objectClass), frameWidth: frameWidth,
                      frameHeight: frameHeight, longSide: options.detectionLongSide(for: objectClass),
                      enlargeTo: options.enlargementLongSide(for: objectClass),
                      maxEnlargement: options.detectionMaxEnlargement(for: objectClass),
                      threshold: options.thresholds[objectClass], hysteresis: options.scoreHysteresis ?? 1,
                      verifierID: options.verifierID(for: objectClass))
    }
  }
}
