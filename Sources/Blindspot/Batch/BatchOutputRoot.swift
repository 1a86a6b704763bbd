import BlindspotStore
import BlindspotVision
import Foundation

/// Where one region's outputs go: a local folder or an S3 prefix. Each output keeps its key
/// (`BatchItem.outputKey`) below the root; its sidecar is `KEY.anon.json`.
///
/// Important: local outputs are written by the pipeline in place (temporary name, fsync, rename);
/// S3 outputs are made in a local scratch folder and then stored with `RegionalStores`, whose
/// objects appear only when complete. In both cases a matching sidecar is the only mark of "done".
public enum BatchOutputRoot: Sendable {
  case folder(URL)
  /// A store labelled with the root's region; its settings' prefix is the root's prefix.
  case bucket(S3Store)

  /// Parses `ROOT` (a path or `s3://bucket/prefix/`) for outputs of `region`.
  public static func parse(_ text: String, region: Region?, access: BatchS3Access) throws(BlindspotError) -> BatchOutputRoot {
    guard text.hasPrefix("s3://") else { return .folder(URL(fileURLWithPath: text).standardizedFileURL) }
    let rest = text.dropFirst("s3://".count)
    let bucket = String(rest.prefix { $0 != "/" })
    guard !bucket.isEmpty else { throw BlindspotError(.usage, subject: text, reason: "expected s3://bucket/prefix/") }
    var prefix = String(rest.dropFirst(bucket.count + 1))
    if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
    guard let region else {
      throw BlindspotError(.usage, subject: text, reason: "an S3 output root needs a region (--region, or REGION=s3://…)")
    }
    let settings = try access.settings(bucket: bucket, prefix: prefix, region: region)
    return .bucket(S3Store(name: "\(region)-output", region: region, settings: settings))
  }

  public var description: String {
    switch self {
    case .folder(let url): url.path
    case .bucket(let store): "s3://\(store.settings.bucket)/\(store.settings.prefix)"
    }
  }

  /// The sidecar stored for `key`, or nil when there is none (or it is not a sidecar).
  func sidecar(forKey key: String) async throws(BlindspotError) -> Sidecar? {
    let data: Data?
    switch self {
    case .folder(let root):
      data = FileManager.default.contents(atPath: Sidecar.url(for: root.appendingPathComponent(key)).path)
    case .bucket(let store):
      do { data = try await store.bucket.data(store.settings.prefix + key + ".anon.json") } catch {
        throw BlindspotError.wrapping(error, subject: description + key)
      }
    }
    return data.flatMap { try? Sidecar.decode($0) }
  }

  /// Whether the output stored for `key` has the SHA-256 its sidecar recorded.
  func outputMatches(key: String, sha256: String) async throws(BlindspotError) -> Bool {
    switch self {
    case .folder(let root):
      return (try? FileHash.sha256(of: root.appendingPathComponent(key))) == sha256
    case .bucket(let store):
      do { return try await store.bucket.head(store.settings.prefix + key)?.sha256 == sha256 } catch {
        throw BlindspotError.wrapping(error, subject: description + key)
      }
    }
  }

  /// Where the pipeline writes the output for `key`: in place for a folder (parents created), in
  /// `scratch` for a bucket.
  func pipelineOutput(forKey key: String, scratch: URL) throws(BlindspotError) -> URL {
    let url = switch self {
    case .folder(let root): root.appendingPathComponent(key)
    case .bucket: scratch.appendingPathComponent((key as NSString).lastPathComponent)
    }
    do { try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
      throw BlindspotError(.retryableIO, subject: url.deletingLastPathComponent().path, reason: "cannot create the output folder")
    }
    return url
  }

  /// Makes a finished output durable at its key: nothing more for a folder; for a bucket, the
  /// stale objects of an earlier, unfinished or outdated run are deleted (sidecar first, so no
  /// sidecar ever describes another video), then video and sidecar are stored and verified.
  func publish(_ job: AnonymizeJob, sidecar: Sidecar, region: Region?, key: String) async throws(BlindspotError) {
    guard case .bucket(let store) = self else { return }
    guard let region else { throw BlindspotError(.usage, subject: job.name, reason: "an S3 output needs a region") }
    let artifact = try AnonymizedArtifact.finished(job, sidecar: sidecar, region: region, key: key)
    do {
      try await store.bucket.delete(store.settings.prefix + artifact.sidecarKey)
      try await store.bucket.delete(store.settings.prefix + artifact.key)
      for attachment in artifact.attachments { try await store.bucket.delete(store.settings.prefix + attachment.key) }
      _ = try await RegionalStores(region: region, backends: [store]).put(artifact)
    } catch {
      throw BlindspotError.wrapping(error, subject: job.name)
    }
  }
}
