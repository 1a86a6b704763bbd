import BlindspotStore
import Foundation

/// How a batch run reaches S3 buckets: a bucket named in a store configuration (`--store-config`,
/// the same YAML the service reads) is reached with that store's endpoint and credentials; any
/// other bucket with the standard AWS environment variables (`S3Store.Settings.fromEnvironment`).
public struct BatchS3Access: Sendable {
  public var configurations: [StoreConfiguration]
  public var environment: [String: String]

  public init(configurations: [StoreConfiguration] = [], environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.configurations = configurations
    self.environment = environment
  }

  /// Settings for `bucket` with `prefix`. For an output of `region`, a configured store of the
  /// bucket must be of that region: a `.policy` error otherwise, never another region's store.
  public func settings(bucket: String, prefix: String, region: Region?) throws(BlindspotError) -> S3Store.Settings {
    let subject = "s3://\(bucket)/\(prefix)"
    for configuration in configurations {
      for store in configuration.stores {
        guard case .s3(var settings) = store.backend, settings.bucket == bucket else { continue }
        if let region, store.region != region {
          throw BlindspotError(.policy, subject: subject,
                               reason: "the store configuration puts this bucket in region \(store.region), not \(region): cross-region write refused")
        }
        settings.prefix = prefix
        return settings
      }
    }
    do { return try S3Store.Settings.fromEnvironment(bucket: bucket, prefix: prefix, environment: environment) } catch {
      throw BlindspotError(.usage, subject: subject, reason: "no --store-config names this bucket, and \(error.reason)")
    }
  }
}
