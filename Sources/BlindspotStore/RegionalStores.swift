import AsyncHTTPClient
import NIOConcurrencyHelpers

/// The stores of a configuration, and the routing rule: an artifact goes only to stores of its
/// own region.
///
/// A request that would cross regions — an artifact of another region than the vehicle's, or a
/// named store of another region — is a `.policy` error and is counted in `policyViolations`;
/// there is no fallback to another store.
///
/// Thread-safety: `Sendable`; the counter is lock-protected.
public struct RegionalStores: Sendable {
  public let region: Region
  public let backends: [any StorageBackend]
  private let violations = NIOLockedValueBox(0)

  /// The stores of `configuration`, S3 ones on `http`.
  public init(_ configuration: StoreConfiguration, http: HTTPClient = S3Store.defaultHTTPClient) {
    self.region = configuration.region
    self.backends = configuration.stores.map { store -> any StorageBackend in
      switch store.backend {
      case .local(let settings): LocalStore(name: store.name, region: store.region, settings: settings)
      case .s3(let settings): S3Store(name: store.name, region: store.region, settings: settings, http: http)
      }
    }
  }

  /// Routing over given backends (tests, or a pipeline with stores of its own). Throws `.policy`
  /// when one lives outside `region`.
  public init(region: Region, backends: [any StorageBackend]) throws(StoreError) {
    for backend in backends where backend.region != region {
      throw StoreError(.policy, store: backend.name,
                       "lives in region \(backend.region) but this vehicle's data is \(region): cross-region route refused")
    }
    self.region = region
    self.backends = backends
  }

  /// How many cross-region requests were refused since start.
  public var policyViolations: Int { violations.withLockedValue { $0 } }

  /// Stores `artifact` in every store of its region, one after the other; the first failure stops
  /// and is thrown (stores already written keep their copy; a retry finds it and skips it).
  public func put(_ artifact: AnonymizedArtifact) async throws(StoreError) -> [StoreReceipt] {
    let targets = backends.filter { $0.region == artifact.region }
    guard artifact.region == region, !targets.isEmpty else {
      throw violation(StoreError(.policy, "refused to store \(artifact.region) data: this vehicle's stores are in \(region) (cross-region write)"))
    }
    var receipts: [StoreReceipt] = []
    for backend in targets { receipts.append(try await put(artifact, into: backend)) }
    return receipts
  }

  /// Stores `artifact` in the store called `name`, which must be of the artifact's region.
  public func put(_ artifact: AnonymizedArtifact, into name: String) async throws(StoreError) -> StoreReceipt {
    guard let backend = backends.first(where: { $0.name == name }) else {
      throw StoreError(.configuration, "no store named '\(name)'")
    }
    return try await put(artifact, into: backend)
  }

  private func put(_ artifact: AnonymizedArtifact, into backend: any StorageBackend) async throws(StoreError) -> StoreReceipt {
    do {
      try backend.requireRegion(of: artifact)
      return try await backend.put(artifact)
    } catch {
      throw error.kind == .policy ? violation(error) : error
    }
  }

  private func violation(_ error: StoreError) -> StoreError {
    violations.withLockedValue { $0 += 1 }
    return error
  }
}
