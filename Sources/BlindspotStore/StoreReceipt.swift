/// What a store did with an artifact.
public struct StoreReceipt: Hashable, Sendable {
  public enum Outcome: Hashable, Sendable {
    /// The artifact was written (and verified) now.
    case stored
    /// The store already held the same bytes under the key; nothing was written.
    case alreadyPresent
  }

  /// The store's name in the configuration.
  public let store: String
  /// The key of the video object, with the store's prefix.
  public let key: String
  /// The key of the sidecar object, with the store's prefix.
  public let sidecarKey: String
  /// The video's size in bytes.
  public let size: Int64
  public let outcome: Outcome
}
