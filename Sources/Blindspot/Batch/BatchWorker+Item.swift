import BlindspotStore
import BlindspotVision
import Foundation

extension BatchWorker {
  /// One item: find its region's output root, fetch the input (S3: to scratch), skip it when a
  /// matching output is stored, else anonymize it and publish the result.
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

    let (input, inputSHA256, bytesIn) = try await fetch(item, into: scratch)
    if !configuration.force, let sidecar = try await root.sidecar(forKey: item.outputKey),
       skipCheck.mismatch(sidecar, inputSHA256: inputSHA256, region: region) == nil,
       let outputSHA256 = sidecar.outputSHA256, try await root.outputMatches(key: item.outputKey, sha256: outputSHA256) {
      return ShardReport.Item(unit: "", input: subject, output: root.description + item.outputKey, outcome: .skipped, frames: 0,
                              bytesIn: 0, bytesOut: 0, seconds: 0)
    }

    let output = try root.pipelineOutput(forKey: item.outputKey, scratch: scratch.appendingPathComponent("out"))
    let job = AnonymizeJob(source: input.path, name: subject, file: input, output: output)
    let anonymizer = Anonymizer(options: pipelineOptions, detectors: CatalogDetectorFactory(catalog: configuration.catalog, options: pipelineOptions),
                                progress: BatchItemProgress(progress), region: region?.rawValue)
    let sidecar = try await Self.onThread { () throws(BlindspotError) in try anonymizer.run(job) }
    let bytesOut = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? NSNumber)?.int64Value ?? 0
    try await root.publish(job, sidecar: sidecar, region: region, key: item.outputKey)
    return ShardReport.Item(unit: "", input: subject, output: root.description + item.outputKey, outcome: .done,
                            frames: sidecar.counts.frames, bytesIn: bytesIn, bytesOut: bytesOut, seconds: 0)
  }

  /// The input as a local file, its SHA-256 and size. An S3 object is downloaded into `scratch`.
  private func fetch(_ item: BatchItem, into scratch: URL) async throws(BlindspotError) -> (URL, String, Int64) {
    let subject = item.source.description
    switch item.source {
    case .file(let url):
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        throw BlindspotError(.badInput, subject: subject, reason: "no such file")
      }
      let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
      do { return (url, try FileHash.sha256(of: url), bytes) } catch {
        throw BlindspotError(.badInput, subject: subject, reason: "cannot read the file")
      }
    case .object(let bucketName, let key):
      let bucket = S3Bucket(settings: try configuration.access.settings(bucket: bucketName, prefix: "", region: nil))
      let file = scratch.appendingPathComponent("input-" + (key as NSString).lastPathComponent)
      do {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        guard try await bucket.head(key) != nil else { throw BlindspotError(.badInput, subject: subject, reason: "no such object") }
        let digest = try await bucket.download(key, to: file)
        return (file, digest.sha256, digest.size)
      } catch let error as BlindspotError {
        throw error
      } catch {
        throw BlindspotError.wrapping(error, subject: subject)
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
