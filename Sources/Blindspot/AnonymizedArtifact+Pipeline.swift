import BlindspotStore
import Foundation

extension AnonymizedArtifact {
  /// The artifact for an output the pipeline finished: the only way code outside the store's
  /// tests gets one, so a store can only ever receive what `Anonymizer.run` wrote.
  ///
  /// Important: the output's bytes are hashed again here and compared with the sidecar's
  /// `output_sha256`; a file changed since the pipeline wrote it is refused (`.badInput`), so a
  /// raw file renamed over an output can never pass as anonymized.
  package static func finished(_ job: AnonymizeJob, sidecar: Sidecar, region: Region, key: String? = nil)
    throws(BlindspotError) -> AnonymizedArtifact
  {
    guard let expected = sidecar.outputSHA256 else {
      throw BlindspotError(.badInput, subject: job.name, reason: "the run wrote no output file to store")
    }
    let actual: String
    do { actual = try FileDigest.of(job.output).sha256 } catch {
      throw BlindspotError(.retryableIO, subject: job.output.path, reason: "cannot read the output to store it: \(error)")
    }
    guard actual == expected else {
      throw BlindspotError(.badInput, subject: job.output.path, reason: "the output changed after the pipeline wrote it; refusing to store it")
    }
    return AnonymizedArtifact(file: job.output, region: region, sidecar: Sidecar.url(for: job.output), sha256: actual,
                              key: key)
  }
}
