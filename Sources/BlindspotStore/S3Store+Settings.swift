import Foundation

extension S3Store {
  /// Where a bucket is and how to talk to it.
  public struct Settings: Sendable {
    /// How the bucket appears in the URL.
    public enum Addressing: String, Sendable, CaseIterable {
      /// `https://endpoint/bucket/key` — MinIO, Ceph, most on-premises stores, and loopback tests.
      case path
      /// `https://bucket.endpoint/key` — AWS's default.
      case virtualHost = "virtual-host"
    }

    /// S3 refuses parts below 5 MiB (all but the last).
    public static let minimumPartSize = 5 << 20
    public static let defaultPartSize = 8 << 20

    /// `scheme://host[:port]`, without a path or user info.
    public var endpoint: URL
    public var bucket: String
    /// Prepended to every key, e.g. `anon/`.
    public var prefix: String
    /// The region the request signature names (`eu-central-1`, `cn-north-1`, `us-east-1` for most
    /// S3-compatible servers). Not the legal `Region` the store is labelled with.
    public var signingRegion: String
    public var addressing: Addressing
    public var credentials: S3Credentials
    /// Files up to this size go in one PUT; larger ones in parts of this size.
    public var partSize: Int
    /// Time allowed for one request, the whole body included.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    /// Compare the ETag with the MD5 of what was sent. True for AWS S3 without SSE-KMS, MinIO and
    /// Ceph; turn it off for stores whose ETags are not MD5-based (SSE-KMS, SSE-C).
    public var verifyETag: Bool

    public init(endpoint: URL, bucket: String, prefix: String = "", signingRegion: String, addressing: Addressing = .virtualHost,
                credentials: S3Credentials, partSize: Int = Self.defaultPartSize, requestTimeout: Duration = .seconds(120),
                retry: RetryPolicy = RetryPolicy(), verifyETag: Bool = true) {
      self.endpoint = endpoint
      self.bucket = bucket
      self.prefix = prefix
      self.signingRegion = signingRegion
      self.addressing = addressing
      self.credentials = credentials
      self.partSize = partSize
      self.requestTimeout = requestTimeout
      self.retry = retry
      self.verifyETag = verifyETag
    }
  }
}
