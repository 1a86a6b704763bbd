import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Reading and housekeeping in one S3-compatible bucket: HEAD, GET (streamed to disk), listing,
/// DELETE. What batch runs need to read archived inputs and to check what a store already holds.
///
/// Writing anonymized data is not here: it goes through `S3Store.put`, which takes only an
/// `AnonymizedArtifact` and checks its region. Keys are full keys (the store prefix included).
///
/// Thread-safety: `Sendable`; requests share the HTTP client's connection pool.
public struct S3Bucket: Sendable {
  /// What HEAD says of an object.
  public struct Object: Hashable, Sendable {
    public let key: String
    public let size: Int64
    /// The `x-amz-meta-sha256` Blindspot's stores attach; empty when the object has none.
    public let sha256: String
    public let etag: String
  }

  let client: S3Client

  /// The bucket of `settings`, on `http` (`S3Store.defaultHTTPClient` unless given).
  public init(settings: S3Store.Settings, http: HTTPClient = S3Store.defaultHTTPClient) {
    client = S3Client(http: http, settings: settings, clock: ClockOffset())
  }

  init(client: S3Client) { self.client = client }

  public var settings: S3Store.Settings { client.settings }

  /// The object under `key`, or nil when there is none.
  public func head(_ key: String) async throws(StoreError) -> Object? {
    do {
      let response = try await client.send(.HEAD, key: key)
      return Object(key: key, size: Int64(response.headers.first(name: "content-length") ?? "") ?? -1,
                    sha256: response.headers.first(name: "x-amz-meta-sha256") ?? "",
                    etag: response.headers.first(name: "etag") ?? "")
    } catch {
      if case .client(404, _) = error.failure { return nil }
      throw failure(error, operation: "HEAD \(key)")
    }
  }

  /// A small object's bytes (at most 4 MiB: sidecars, manifests), or nil when there is none.
  public func data(_ key: String) async throws(StoreError) -> Data? {
    do {
      return Data(try await client.send(.GET, key: key).body.utf8)
    } catch {
      if case .client(404, _) = error.failure { return nil }
      throw failure(error, operation: "GET \(key)")
    }
  }

  /// Streams object `key` to `file` and returns the bytes' SHA-256 and size. The file appears
  /// under its name only when complete (a hidden temporary name, then a rename). A missing key is
  /// a `.rejected` error (HTTP 404 NoSuchKey); callers that care look with `head` first.
  @discardableResult
  public func download(_ key: String, to file: URL) async throws(StoreError) -> (sha256: String, size: Int64) {
    let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: partial) }
    let digest: FileDigest
    do {
      digest = try await client.download(key: key, to: partial)
    } catch {
      throw failure(error, operation: "GET \(key)")
    }
    guard rename(partial.path, file.path) == 0 else {
      throw StoreError(.unavailable, "cannot move the download of \(key) into place (errno \(errno))")
    }
    return (digest.sha256, digest.size)
  }

  /// Every key under `prefix`, in the bucket's (lexicographic) order, following continuation
  /// tokens page by page (`pageSize` keys a request, at most 1000).
  public func list(prefix: String, pageSize: Int = 1000) async throws(StoreError) -> [Object] {
    var objects: [Object] = [], token: String?
    repeat {
      var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(min(max(pageSize, 1), 1000)))]
      if let token { query.append(("continuation-token", token)) }
      let page: S3Response
      do { page = try await client.send(.GET, key: nil, query: query) } catch {
        throw failure(error, operation: "list \(prefix)")
      }
      for entry in S3XML.elements("Contents", in: page.body) {
        guard let key = S3XML.value(of: "Key", in: entry) else { continue }
        objects.append(Object(key: key, size: Int64(S3XML.value(of: "Size", in: entry) ?? "") ?? -1, sha256: "",
                              etag: S3XML.value(of: "ETag", in: entry) ?? ""))
      }
      token = S3XML.value(of: "IsTruncated", in: page.body) == "true" ? S3XML.value(of: "NextContinuationToken", in: page.body) : nil
    } while token != nil
    return objects
  }

  /// Removes `key` (S3 answers success whether or not it existed).
  public func delete(_ key: String) async throws(StoreError) {
    do { _ = try await client.send(.DELETE, key: key) } catch {
      if case .client(404, _) = error.failure { return }
      throw failure(error, operation: "DELETE \(key)")
    }
  }

  func failure(_ error: S3RequestFailure, operation: String) -> StoreError {
    S3Store.classify(error, operation: operation, settings: client.settings)
  }
}

extension S3Store {
  /// The store's bucket for reading and housekeeping, on the same connections and clock.
  public var bucket: S3Bucket { S3Bucket(client: client) }
}
