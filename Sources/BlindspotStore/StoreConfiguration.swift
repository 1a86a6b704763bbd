import Foundation

/// Where a vehicle's anonymized outputs may be stored: its region and the stores of that region.
///
/// Important: loading checks the routing rule. Every store must live in the vehicle's region; a
/// configuration naming a store of another region is refused whole (`.policy`, exit 3) rather
/// than loaded without that store, so a wrong file cannot quietly change where data goes.
public struct StoreConfiguration: Sendable {
  /// One configured store.
  public struct Store: Sendable {
    public enum Backend: Sendable {
      case local(LocalStore.Settings)
      case s3(S3Store.Settings)
    }

    public var name: String
    /// The region the store lives in.
    public var region: Region
    public var backend: Backend

    public init(name: String, region: Region, backend: Backend) {
      self.name = name
      self.region = region
      self.backend = backend
    }
  }

  /// The vehicle's legal region: every output it produces belongs to it.
  public var region: Region
  public var stores: [Store]

  /// A configuration; throws `.policy` when a store lives outside `region`, `.configuration` when
  /// there is no store or two share a name.
  public init(region: Region, stores: [Store]) throws(StoreError) {
    self.region = region
    self.stores = stores
    try validate()
  }

  func validate() throws(StoreError) {
    guard !stores.isEmpty else { throw StoreError(.configuration, "no stores configured") }
    var names: Set<String> = []
    for store in stores {
      guard names.insert(store.name).inserted else {
        throw StoreError(.configuration, "two stores are named '\(store.name)'")
      }
      guard store.region == region else {
        throw StoreError(.policy, store: store.name,
                         "lives in region \(store.region) but this vehicle's data is \(region): cross-region route refused")
      }
    }
  }
}
