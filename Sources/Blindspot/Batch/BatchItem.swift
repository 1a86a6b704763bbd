import BlindspotStore
import Foundation

/// One input of a batch run and where its output goes.
public struct BatchItem: Hashable, Sendable {
  /// Where the input is read from.
  public var source: BatchLocation
  /// The item's name in the work list, `/`-separated: the manifest's text for the item, or the
  /// path relative to the walked folder. Units and shards are computed from it, so it must not
  /// depend on where a worker mounts the archive.
  public var name: String
  /// Where the output goes under its region's output root (`/`-separated, relative, no `..`):
  /// the manifest's `output_key`, or the input's path relative to the work list's common root.
  public var outputKey: String
  /// The item's legal region (JSON Lines `region`); nil takes the run's `--region`.
  public var region: Region?
  /// The manifest line it came from (1-based), for messages; nil for a folder walk.
  public var line: Int?

  public init(source: BatchLocation, name: String, outputKey: String, region: Region? = nil, line: Int? = nil) {
    self.source = source
    self.name = name
    self.outputKey = outputKey
    self.region = region
    self.line = line
  }
}
