/// A place that keeps anonymized artifacts: an outbox directory, an S3-compatible bucket.
///
/// The seam for tests and for new kinds of store. Every implementation must refuse an artifact of
/// another region (`requireRegion(of:)`) even though `RegionalStores` already routes by region:
/// the check sits next to the write so no caller can skip it.
public protocol StorageBackend: Sendable {
  /// The store's name in the configuration (for messages, receipts and metrics).
  var name: String { get }
  /// The region the store lives in; it accepts only artifacts of this region.
  var region: Region { get }
  /// Stores `artifact`'s file, then its attachments, then its sidecar (so a sidecar present in
  /// the store means its video and sensor files are complete), and verifies each. Idempotent: storing the same artifact again is a
  /// no-op; a key that holds different content is a `.conflict` and is left as it is.
  func put(_ artifact: AnonymizedArtifact) async throws(StoreError) -> StoreReceipt
}

extension StorageBackend {
  /// Throws a `.policy` error when `artifact` belongs to another region than this store.
  public func requireRegion(of artifact: AnonymizedArtifact) throws(StoreError) {
    guard artifact.region == region else {
      throw StoreError(.policy, store: name,
                       "refused to store \(artifact.region) data in a store of region \(region) (cross-region write)")
    }
  }
}
