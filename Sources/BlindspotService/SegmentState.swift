/// Where a segment is in its life, as the journal records it. The happy path is
/// `discovered → anonymized → stored → rawDeleted` (the last only with `delete_raw_after: stored`).
public enum SegmentState: String, Codable, CaseIterable, Sendable {
  /// Complete in the spool, waiting to be anonymized.
  case discovered
  /// The anonymized output and its sidecar are durable in the outbox; not yet in every store.
  case anonymized
  /// Every store of the region holds the output and its sidecar.
  case stored
  /// Stored, and the raw segment was deleted as configured.
  case rawDeleted = "raw_deleted"
  /// The segment cannot be anonymized as it is (corrupt, truncated, no video) or a policy
  /// refused it; not retried. The raw file is kept.
  case failed
  /// Not processed because the backlog exceeded the spool budget (rolling-buffer segments only).
  case skipped
  /// The raw file disappeared before it was anonymized (the recorder rotated it away).
  case vanished

  /// States that need work from the service.
  static let open: [SegmentState] = [.discovered, .anonymized]
}
