import BlindspotStore
import BlindspotVision
import Foundation

/// Decides whether an output already stored is what this run would make: same input bytes, same
/// tool version, same models (by SHA-256), same parameters and region. Then the unit is skipped.
///
/// The encoder's thread count is left out of the comparison: it is a scheduling choice of the
/// worker (`--jobs`), not a parameter of what is hidden.
struct BatchSkipCheck: Sendable {
  let options: AnonymizeOptions
  let models: [Sidecar.Model]

  /// The models `options` select, with their pinned SHA-256 from `catalog`.
  init(options: AnonymizeOptions, catalog: ModelCatalog) throws(BlindspotError) {
    self.options = options
    var models: [Sidecar.Model] = []
    for objectClass in options.classes {
      for id in [options.modelID(for: objectClass), options.verifierID(for: objectClass)].compactMap({ $0 }) {
        do {
          let entry = try catalog.entry(id)
          guard let file = entry.modelFile else { throw VisionError(.model, "model '\(entry.id)' lists no model file") }
          models.append(Sidecar.Model(objectClass: objectClass, id: entry.id, sha256: file.sha256.lowercased()))
        } catch {
          throw BlindspotError.wrapping(error, subject: "")
        }
      }
    }
    self.models = models.sorted(by: Self.order)
  }

  /// By class, then id: a class may have a detector and a verifier.
  private static func order(_ a: Sidecar.Model, _ b: Sidecar.Model) -> Bool {
    a.objectClass != b.objectClass ? a.objectClass < b.objectClass : a.id < b.id
  }

  /// Why `sidecar` does not describe this run's output of the input with `inputSHA256`; nil when
  /// it does.
  func mismatch(_ sidecar: Sidecar, inputSHA256: String, region: Region?) -> String? {
    if sidecar.input.sha256 != inputSHA256 { return "the input changed" }
    if sidecar.tool.version != BlindspotVersion.current { return "made by version \(sidecar.tool.version)" }
    if sidecar.models.sorted(by: Self.order) != models { return "made with other models" }
    var stored = sidecar.parameters, wanted = options
    stored.encoder.threads = 0
    wanted.encoder.threads = 0
    if stored != wanted { return "made with other parameters" }
    if sidecar.region != region?.rawValue { return "made for another region" }
    if sidecar.outputSHA256 == nil { return "the sidecar names no output" }
    return nil
  }
}
