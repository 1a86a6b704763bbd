import Foundation

/// The installed models: a directory holding `manifest.json` and the files it lists.
///
/// Every file is checked against its pinned sha256 before use, so a truncated download or a
/// swapped file is a start-up error, never a silently weaker detector (fail closed).
public final class ModelCatalog: Sendable {
  public let directory: URL
  public let manifest: ModelManifest

  /// Where models are looked for when no directory is given, in order.
  public static func defaultDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
    var candidates: [URL] = []
    if let explicit = environment["BLINDSPOT_MODELS"], !explicit.isEmpty {
      return [URL(fileURLWithPath: explicit)]
    }
    if let home = environment["HOME"], !home.isEmpty {
      candidates.append(URL(fileURLWithPath: home).appendingPathComponent(".local/share/blindspot/models"))
    }
    candidates.append(URL(fileURLWithPath: "/usr/local/share/blindspot/models"))
    candidates.append(URL(fileURLWithPath: "/usr/share/blindspot/models"))
    return candidates
  }

  /// Opens the catalog in `directory`, or in the first default directory that has a manifest.
  public convenience init(directory: URL? = nil) throws(VisionError) {
    let candidates = directory.map { [$0] } ?? Self.defaultDirectories()
    let fileManager = FileManager.default
    guard let found = candidates.first(where: { fileManager.fileExists(atPath: $0.appendingPathComponent("manifest.json").path) }) else {
      let places = candidates.map(\.path).joined(separator: ", ")
      throw VisionError(.model, "no models installed (looked in \(places)); run models/fetch.sh or pass --models DIR")
    }
    try self.init(validatedDirectory: found)
  }

  private init(validatedDirectory directory: URL) throws(VisionError) {
    self.directory = directory
    let manifestURL = directory.appendingPathComponent("manifest.json")
    do {
      manifest = try JSONDecoder().decode(ModelManifest.self, from: Data(contentsOf: manifestURL))
    } catch {
      throw VisionError(.model, "cannot read \(manifestURL.path): \(error)")
    }
  }

  public func entry(_ id: String) throws(VisionError) -> ModelManifest.Entry {
    guard let entry = manifest.models.first(where: { $0.id == id }) else {
      let known = manifest.models.map(\.id).joined(separator: ", ")
      throw VisionError(.configuration, "unknown model '\(id)' (installed: \(known))")
    }
    return entry
  }

  /// The path of `file`, after checking that it exists and has its pinned sha256.
  public func verifiedPath(of file: ModelManifest.File, model: String) throws(VisionError) -> String {
    let url = directory.appendingPathComponent(file.name)
    let actual: String
    do {
      actual = try FileHash.sha256(of: url)
    } catch {
      throw VisionError(.model, "model '\(model)': cannot read \(url.path) (run models/fetch.sh)")
    }
    guard actual == file.sha256.lowercased() else {
      throw VisionError(.model, "model '\(model)': \(url.path) is corrupt (sha256 \(actual.prefix(12))…, expected \(file.sha256.prefix(12))…); run models/fetch.sh")
    }
    return url.path
  }
}
