import AsyncHTTPClient
import Crypto
import Foundation
import NIOHTTP1

/// A store in an S3-compatible bucket (AWS S3, MinIO, Ceph, a regional cloud's object storage).
///
/// `put` checks the region, looks whether the key already exists (same SHA-256: nothing to do;
/// other content: `.conflict`), uploads with one signed PUT up to `partSize` bytes and as a
/// multipart upload above, then verifies with HEAD: size, the SHA-256 kept in the object's
/// metadata (`x-amz-meta-sha256`) and, where `verifyETag`, the MD5-based ETag. Every request is
/// retried on 5xx, timeouts, lost connections and clock skew with `retry`; never on other 4xx.
///
/// Important: the object appears under its key only when complete (S3 semantics for PUT and for
/// CompleteMultipartUpload); a failed multipart upload is aborted so no parts linger.
///
/// Thread-safety: `Sendable`; concurrent puts share the HTTP client's connection pool.
public struct S3Store: StorageBackend {
  public let name: String
  public let region: Region
  public let settings: Settings
  let client: S3Client
  /// Called after each part of a multipart upload is stored (part number). Tests use it to kill
  /// the server between parts.
  package var afterPart: (@Sendable (Int) async -> Void)?

  /// The HTTP client stores use unless given one. A failed connection is reported at once
  /// (`retryConnectionEstablishment` off): the store's `RetryPolicy` retries it with jittered
  /// backoff, instead of the client retrying silently until the request's deadline. Connections
  /// time out after 10 s. Process-wide and never shut down, like `HTTPClient.shared`.
  public static let defaultHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout.connect = .seconds(10)
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }()

  /// A store on `http` (`defaultHTTPClient` unless given).
  public init(name: String, region: Region, settings: Settings, http: HTTPClient = S3Store.defaultHTTPClient) {
    self.name = name
    self.region = region
    self.settings = settings
    self.client = S3Client(http: http, settings: settings, clock: ClockOffset())
  }

  public func put(_ artifact: AnonymizedArtifact) async throws(StoreError) -> StoreReceipt {
    try requireRegion(of: artifact)
    do throws(StoreError) {
      let key = settings.prefix + artifact.key, sidecarKey = settings.prefix + artifact.sidecarKey
      let (outcome, size) = try await putObject(artifact.file, sha256: artifact.sha256, key: key)
      for attachment in artifact.attachments {
        _ = try await putObject(attachment.file, sha256: attachment.sha256, key: settings.prefix + attachment.key)
      }
      let sidecar: FileDigest
      do { sidecar = try FileDigest.of(artifact.sidecar) } catch {
        throw StoreError(.unavailable, "cannot read \(artifact.sidecar.lastPathComponent)")
      }
      _ = try await putObject(artifact.sidecar, sha256: sidecar.sha256, key: sidecarKey)
      return StoreReceipt(store: name, key: key, sidecarKey: sidecarKey, size: size, outcome: outcome)
    } catch {
      throw error.inStore(name)
    }
  }

  /// Checks at start-up that the endpoint answers, the bucket exists and the credentials are
  /// accepted (a zero-key listing). `AccessDenied` passes: the key is valid, and an upload-only
  /// key may not list; whether it may write shows at the first upload.
  public func checkAccess() async throws(StoreError) {
    do {
      _ = try await client.send(.GET, key: nil, query: [("list-type", "2"), ("max-keys", "0")])
    } catch {
      if case .client(_, "AccessDenied") = error.failure { return }
      throw storeError(error, operation: "access check").inStore(name)
    }
  }

  /// Uploads `file` as `key` unless the key already holds the same bytes.
  func putObject(_ file: URL, sha256: String, key: String) async throws(StoreError) -> (StoreReceipt.Outcome, Int64) {
    let size: Int64
    do {
      size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
    } catch {
      throw StoreError(.unavailable, "cannot read \(file.lastPathComponent)")
    }
    if let existing = try await head(key) {
      guard existing.sha256 == sha256 else {
        throw StoreError(.conflict, "\(key) already holds different content; not overwritten")
      }
      return (.alreadyPresent, existing.size)
    }
    let etag: String
    if size <= Int64(settings.partSize) {
      etag = try await putSingle(file, sha256: sha256, key: key)
    } else {
      etag = try await putMultipart(file, size: size, sha256: sha256, key: key)
    }
    try await verify(key, size: size, sha256: sha256, etag: etag)
    return (.stored, size)
  }

  /// What HEAD says of an object, or nil when there is none.
  struct ObjectInfo {
    let size: Int64
    let sha256: String
    let etag: String
  }

  func head(_ key: String) async throws(StoreError) -> ObjectInfo? {
    do {
      let response = try await client.send(.HEAD, key: key)
      return ObjectInfo(size: Int64(response.headers.first(name: "content-length") ?? "") ?? -1,
                        sha256: response.headers.first(name: "x-amz-meta-sha256") ?? "",
                        etag: response.headers.first(name: "etag") ?? "")
    } catch {
      // HEAD answers have no body: 404 is "no such key" (a missing bucket shows at the PUT).
      if case .client(404, _) = error.failure { return nil }
      // A 403 to HEAD has no body to say why; a listing names the cause (InvalidAccessKeyId,
      // SignatureDoesNotMatch, ...). If the listing passes, the generic 403 stands.
      if case .client(403, "") = error.failure { try await checkAccess() }
      throw storeError(error, operation: "HEAD \(key)")
    }
  }

  private func putSingle(_ file: URL, sha256: String, key: String) async throws(StoreError) -> String {
    let data: Data
    do { data = try Data(contentsOf: file) } catch { throw StoreError(.unavailable, "cannot read \(file.lastPathComponent)") }
    guard SHA256Hex.of(data) == sha256 else { throw changed(file) }
    do {
      _ = try await client.send(.PUT, key: key, headers: [("x-amz-meta-sha256", sha256)], body: data)
    } catch {
      throw storeError(error, operation: "PUT \(key)")
    }
    return "\"\(Insecure.MD5.hash(data: data).hex)\""
  }

  /// Compares what the store now holds under `key` with what was sent. On a mismatch the object
  /// is deleted (so a retry uploads it again instead of trusting its metadata) and the error is
  /// retryable.
  private func verify(_ key: String, size: Int64, sha256: String, etag: String) async throws(StoreError) {
    guard let stored = try await head(key) else {
      throw StoreError(.unavailable, "\(key) is missing right after its upload; retry")
    }
    var problems: [String] = []
    if stored.size != size { problems.append("size \(stored.size), expected \(size)") }
    if stored.sha256 != sha256 { problems.append("sha256 metadata differs") }
    if settings.verifyETag && stored.etag != etag { problems.append("ETag differs") }
    guard problems.isEmpty else {
      _ = try? await client.send(.DELETE, key: key)
      throw StoreError(.unavailable, "\(key) failed verification after upload (\(problems.joined(separator: ", "))); deleted, retry")
    }
  }

  func changed(_ file: URL) -> StoreError {
    StoreError(.conflict, "\(file.lastPathComponent) changed after the pipeline sealed it (sha256 differs); not stored")
  }

  /// A one-line error for a request that failed for good. Never quotes credentials: it names
  /// where they came from.
  func storeError(_ error: S3RequestFailure, operation: String) -> StoreError {
    Self.classify(error, operation: operation, settings: settings)
  }

  /// `storeError` for any request to the bucket of `settings` (the store's and `S3Bucket`'s).
  static func classify(_ error: S3RequestFailure, operation: String, settings: Settings) -> StoreError {
    let endpoint = settings.endpoint.absoluteString, bucket = settings.bucket
    let tries = error.attempts == 1 ? "" : " after \(error.attempts) attempts"
    switch error.failure {
    case .transport(let reason):
      return StoreError(.unavailable, "\(operation): endpoint \(endpoint) unreachable\(tries): \(reason)")
    case .server, .clockSkew:
      return StoreError(.unavailable, "\(operation) failed\(tries): \(error.failure.summary)")
    case .client(let status, let code):
      let credentials = settings.credentials.source
      return switch code {
      case "InvalidAccessKeyId":
        StoreError(.rejected, "credentials refused: the store does not know the access key id from \(credentials) (InvalidAccessKeyId)")
      case "SignatureDoesNotMatch":
        StoreError(.rejected, "credentials refused: wrong secret access key from \(credentials), or wrong signing_region (SignatureDoesNotMatch)")
      case "InvalidToken", "ExpiredToken", "TokenRefreshRequired":
        StoreError(.rejected, "credentials refused: session token from \(credentials) is invalid or expired (\(code))")
      case "NoSuchBucket":
        StoreError(.rejected, "bucket '\(bucket)' does not exist at \(endpoint)")
      case "AccessDenied":
        StoreError(.rejected, "access denied to bucket '\(bucket)' (\(operation)): the credentials from \(credentials) lack permission")
      case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException":
        StoreError(.rejected, "bucket '\(bucket)' is not in signing_region \(settings.signingRegion) or not at this endpoint (\(code))")
      case "" where status == 403:
        StoreError(.rejected, "\(operation): HTTP 403: credentials from \(credentials) refused or access denied")
      default:
        StoreError(.rejected, "\(operation) refused: \(error.failure.summary)")
      }
    }
  }
}
