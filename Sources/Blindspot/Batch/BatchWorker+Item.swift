import BlindspotStore
import BlindspotVision
import Foundation

extension BatchWorker {
  /// One item: find its region's output root, skip it when a matching output is stored, else
  /// fetch the input (S3: to scratch), anonymize it and publish the result. An S3 input whose
  /// object still has the ETag and size the stored output's sidecar recorded is skipped without
  /// being downloaded; any other input is hashed and compared by SHA-256.
  func process(_ item: BatchItem) async throws(BlindspotError) -> ShardReport.Item {
    let subject = item.source.description
    let region = item.region ?? configuration.defaultRegion
    guard let root = configuration.outputRoots[region] else {
      throw BlindspotError(.policy, subject: subject,
                           reason: "no output root for region \(region?.rawValue ?? "(none)"); its outputs are written only to that region's root")
    }
    // Created only when an S3 input or output needs it.
    let scratch = configuration.scratch.appendingPathComponent(UUID().uuidString)
    defer { try? FileManager.default.removeItem(at: scratch) }

    let stored = configuration.force ? nil : try await root.sidecar(forKey: item.outputKey)
    let skipped = ShardReport.Item(unit: "", input: subject, output: root.description + item.outputKey, outcome: .skipped,
                                   frames: 0, bytesIn: 0, bytesOut: 0, seconds: 0)
    let source = try await locate(item)
    if let stored, case .remote(let remote) = source, !remote.object.etag.isEmpty, stored.input.etag == remote.object.etag,
       stored.input.bytes == remote.object.size, let inputSHA256 = stored.input.sha256,
       try await isCurrent(stored, inputSHA256: inputSHA256, region: region, root: root, key: item.outputKey) {
      return skipped
    }
    let (input, inputSHA256, bytesIn) = try await fetch(source, subject: subject, into: scratch)
    if let stored, try await isCurrent(stored, inputSHA256: inputSHA256, region: region, root: root, key: item.outputKey) {
      return skipped
    }

    let output = try root.pipelineOutput(forKey: item.outputKey, scratch: scratch.appendingPathComponent("out"))
    let job = AnonymizeJob(source: input.path, name: subject, file: input, output: output, sourceETag: source.etag)
    let anonymizer = Anonymizer(options: pipelineOptions, detectors: CatalogDetectorFactory(catalog: configuration.catalog, options: pipelineOptions),
                                progress: BatchItemProgress(progress), region: region?.rawValue)
    let sidecar = try await Self.onThread { () throws(BlindspotError) in try anonymizer.run(job) }
    let bytesOut = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? NSNumber)?.int64Value ?? 0
    try await root.publish(job, sidecar: sidecar, region: region, key: item.outputKey)
    return ShardReport.Item(unit: "", input: subject, output: root.description + item.outputKey, outcome: .done,
                            frames: sidecar.counts.frames, bytesIn: bytesIn, bytesOut: bytesOut, seconds: 0)
  }

  /// Whether the output stored with `sidecar` is what this run would make of the input with
  /// `inputSHA256`, and is still intact.
  private func isCurrent(_ sidecar: Sidecar, inputSHA256: String, region: Region?, root: BatchOutputRoot,
                         key: String) async throws(BlindspotError) -> Bool {
    guard skipCheck.mismatch(sidecar, inputSHA256: inputSHA256, region: region) == nil,
          let outputSHA256 = sidecar.outputSHA256 else { return false }
    return try await root.outputMatches(key: key, sha256: outputSHA256)
  }

  /// An item's input once located: a local file, or an S3 object with its size and ETag from a HEAD.
  enum LocatedInput {
    case local(URL)
    case remote(RemoteInput)

    var etag: String? {
      guard case .remote(let remote) = self else { return nil }
      return remote.object.etag
    }
  }

  struct RemoteInput {
    let bucket: S3Bucket
    let key: String
    let object: S3Bucket.Object
  }

  /// Where `item`'s input is; an S3 object is looked up with a HEAD (missing: `.badInput`).
  private func locate(_ item: BatchItem) async throws(BlindspotError) -> LocatedInput {
    switch item.source {
    case .file(let url):
      return .local(url)
    case .object(let bucketName, let key):
      let bucket = S3Bucket(settings: try configuration.access.settings(bucket: bucketName, prefix: "", region: nil))
      let object: S3Bucket.Object?
      do { object = try await bucket.head(key) } catch {
        throw BlindspotError.wrapping(error, subject: item.source.description)
      }
      guard let object else { throw BlindspotError(.badInput, subject: item.source.description, reason: "no such object") }
      return .remote(RemoteInput(bucket: bucket, key: key, object: object))
    }
  }

  /// The input as a local file, its SHA-256 and size. An S3 input is downloaded into `scratch`.
  private func fetch(_ source: LocatedInput, subject: String, into scratch: URL) async throws(BlindspotError)
    -> (URL, String, Int64)
  {
    switch source {
    case .remote(let remote):
      let file = scratch.appendingPathComponent("input-" + (remote.key as NSString).lastPathComponent)
      do {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let digest = try await remote.bucket.download(remote.key, to: file)
        return (file, digest.sha256, digest.size)
      } catch {
        throw BlindspotError.wrapping(error, subject: subject)
      }
    case .local(let url):
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        throw BlindspotError(.badInput, subject: subject, reason: "no such file")
      }
      let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
      do { return (url, try FileHash.sha256(of: url), bytes) } catch {
        throw BlindspotError(.badInput, subject: subject, reason: "cannot read the file")
      }
    }
  }

  /// Runs blocking `body` on a thread of its own (FFmpeg and OpenCV block; Swift's cooperative
  /// pool must not), with a stack large enough for the detectors.
  static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws(BlindspotError) -> T) async throws(BlindspotError) -> T {
    let result: Result<T, BlindspotError> = await withCheckedContinuation { continuation in
      let thread = Thread {
        do throws(BlindspotError) {
          continuation.resume(returning: .success(try body()))
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
      thread.stackSize = 16 << 20
      thread.start()
    }
    return try result.get()
  }
}
