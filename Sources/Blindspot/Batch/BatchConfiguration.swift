import BlindspotStore
import BlindspotVision
import Foundation

/// Everything a batch worker needs besides its work list.
public struct BatchConfiguration: Sendable {
  public var options: AnonymizeOptions
  public var catalog: ModelCatalog
  /// Output roots by region; the nil key is the root for items without a region.
  public var outputRoots: [Region?: BatchOutputRoot]
  /// The region of items whose manifest line names none (`--region`).
  public var defaultRegion: Region?
  public var shard: ShardAssignment
  /// Units anonymized at once.
  public var jobs: Int
  /// Redo units whose outputs already match.
  public var force: Bool
  /// Where S3 inputs are downloaded and S3 outputs made; emptied as items finish.
  public var scratch: URL
  /// How S3 inputs are reached.
  public var access: BatchS3Access

  public init(options: AnonymizeOptions, catalog: ModelCatalog, outputRoots: [Region?: BatchOutputRoot], defaultRegion: Region?,
              shard: ShardAssignment, jobs: Int = 1, force: Bool = false, scratch: URL, access: BatchS3Access = BatchS3Access()) {
    self.options = options
    self.catalog = catalog
    self.outputRoots = outputRoots
    self.defaultRegion = defaultRegion
    self.shard = shard
    self.jobs = max(1, jobs)
    self.force = force
    self.scratch = scratch
    self.access = access
  }
}
