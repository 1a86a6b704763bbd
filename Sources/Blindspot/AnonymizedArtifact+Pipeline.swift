import BlindspotStore
import Foundation

extension AnonymizedArtifact {
  /// The artifact for an output the pipeline finished: the only way code outside the store's
  /// tests gets one, so a store can only ever receive what `Anonymizer.run` wrote.
  ///
  /// Important: the output's bytes are hashed again here and compared with the sidecar's
  /// `output_sha256`; a file changed since the pipeline wrote it is refused (`.badInput`), so a
  /// raw file renamed over an output can never pass as anonymized. The same holds for the sensor
  /// files the sidecar lists beside the output: each is attached only with the sha256 the sidecar
  /// recorded, and one without a recorded sha256 (an older sidecar) refuses the whole artifact.
  package static func finished(_ job: AnonymizeJob, sidecar: Sidecar, region: Region, key: String? = nil)
    throws(BlindspotError) -> AnonymizedArtifact
  {
    guard let expected = sidecar.outputSHA256 else {
      throw BlindspotError(.badInput, subject: job.name, reason: "the run wrote no output file to store")
    }
    try requireUnchanged(job.output, sha256: expected)
    let folder = job.output.deletingLastPathComponent()
    let attachments = try sidecar.sensorFiles.map { name, sha256 throws(BlindspotError) -> (file: URL, sha256: String) in
      let file = folder.appendingPathComponent(name)
      guard let sha256 else {
        throw BlindspotError(.badInput, subject: file.path, reason: "the sidecar records no sha256 for this sensor file; refusing to store it")
      }
      try requireUnchanged(file, sha256: sha256)
      return (file, sha256)
    }
    return AnonymizedArtifact(file: job.output, region: region, sidecar: Sidecar.url(for: job.output), sha256: expected,
                              key: key, attachments: attachments)
  }

  /// Throws unless `file`'s bytes still hash to `sha256`, as the pipeline recorded them.
  private static func requireUnchanged(_ file: URL, sha256: String) throws(BlindspotError) {
    let actual: String
    do { actual = try FileDigest.of(file).sha256 } catch {
      throw BlindspotError(.retryableIO, subject: file.path, reason: "cannot read the output to store it: \(error)")
    }
    guard actual == sha256 else {
      throw BlindspotError(.badInput, subject: file.path, reason: "the output changed after the pipeline wrote it; refusing to store it")
    }
  }
}
