import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// An answer from an S3-compatible server: status, headers and (small) body text.
struct S3Response: Sendable {
  let status: Int
  let headers: HTTPHeaders
  let body: String
}

/// A request that failed for good: the last failure and how many attempts were made.
struct S3RequestFailure: Error, Sendable {
  let failure: S3Failure
  let attempts: Int
}

/// The correction added to the local clock when signing, learnt from a `RequestTimeTooSkewed`
/// answer. Shared by every request of one store; lock-protected.
final class ClockOffset: Sendable {
  private let seconds = NIOLockedValueBox<TimeInterval>(0)

  var now: Date { Date().addingTimeInterval(seconds.withLockedValue { $0 }) }

  func adjust(serverTime: Date?) {
    guard let serverTime else { return }
    seconds.withLockedValue { $0 = serverTime.timeIntervalSinceNow }
  }
}

/// Signed requests to one bucket, retried by a `RetryPolicy`. Knows S3's wire format, not what
/// the store does with it.
struct S3Client: Sendable {
  let http: HTTPClient
  let settings: S3Store.Settings
  let signer: SigV4Signer
  let clock: ClockOffset

  init(http: HTTPClient, settings: S3Store.Settings, clock: ClockOffset) {
    self.http = http
    self.settings = settings
    self.signer = SigV4Signer(credentials: settings.credentials, region: settings.signingRegion)
    self.clock = clock
  }

  /// The `Host` header and the URI-encoded path of `key` (nil: the bucket itself).
  func target(key: String?) -> (host: String, path: String) {
    let endpointHost = settings.endpoint.host ?? ""
    let port = settings.endpoint.port.map { ":\($0)" } ?? ""
    let encodedKey = key.map { SigV4Signer.uriEncode($0, keepSlash: true) } ?? ""
    switch settings.addressing {
    case .path:
      let bucket = SigV4Signer.uriEncode(settings.bucket, keepSlash: false)
      return (endpointHost + port, key == nil ? "/\(bucket)" : "/\(bucket)/\(encodedKey)")
    case .virtualHost:
      return ("\(settings.bucket).\(endpointHost)\(port)", "/\(encodedKey)")
    }
  }

  /// Sends a request, retrying what may pass (5xx, no answer, clock skew) as the policy says.
  func send(_ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
            body: Data? = nil) async throws(S3RequestFailure) -> S3Response {
    let payloadHash = body.map { SHA256Hex.of($0) } ?? SigV4Signer.emptyPayloadHash
    var attempt = 1
    while true {
      do {
        return try await sendOnce(method, key: key, query: query, headers: headers, body: body, payloadHash: payloadHash)
      } catch {
        if case .clockSkew(let serverTime) = error { clock.adjust(serverTime: serverTime) }
        guard error.isRetryable, attempt < settings.retry.maxAttempts, !Task.isCancelled else {
          throw S3RequestFailure(failure: error, attempts: attempt)
        }
        attempt += 1
        do { try await settings.retry.sleep(settings.retry.delay(beforeAttempt: attempt)) } catch {
          throw S3RequestFailure(failure: .transport("cancelled"), attempts: attempt - 1)
        }
      }
    }
  }

  private func sendOnce(_ method: HTTPMethod, key: String?, query: [(String, String)], headers: [(String, String)],
                        body: Data?, payloadHash: String) async throws(S3Failure) -> S3Response {
    let (host, path) = target(key: key)
    let signed = signer.sign(
      SigV4Signer.Request(method: method.rawValue, path: path, query: query, headers: [("host", host)] + headers,
                          payloadHash: payloadHash),
      at: clock.now)
    let queryText = SigV4Signer.canonicalQuery(query)
    let scheme = settings.endpoint.scheme ?? "https"
    var request = HTTPClientRequest(url: "\(scheme)://\(host)\(path)\(queryText.isEmpty ? "" : "?" + queryText)")
    request.method = method
    for (name, value) in signed { request.headers.add(name: name, value: value) }
    if let body {
      request.body = .bytes(ByteBuffer(bytes: body))
    } else if method == .PUT || method == .POST {
      request.headers.add(name: "content-length", value: "0")
    }
    let response: HTTPClientResponse
    let text: String
    do {
      let timeout = TimeAmount.nanoseconds(Int64(settings.requestTimeout.components.seconds) * 1_000_000_000
                                           + settings.requestTimeout.components.attoseconds / 1_000_000_000)
      response = try await http.execute(request, timeout: timeout)
      text = String(buffer: try await response.body.collect(upTo: 4 << 20))
    } catch {
      // AsyncHTTPClient's and NIO's errors name the operation and errno; our requests carry the
      // signature in a header, never in the URL, so nothing secret can be in this text.
      throw .transport(String(describing: error))
    }
    let status = Int(response.status.code)
    switch status {
    case 200..<300:
      // CompleteMultipartUpload may answer 200 and report an error in the body.
      if text.contains("<Error>") {
        throw .server(status: 200, code: S3XML.value(of: "Code", in: text) ?? "")
      }
      return S3Response(status: status, headers: response.headers, body: text)
    case 500...:
      throw .server(status: status, code: S3XML.value(of: "Code", in: text) ?? "")
    default:
      let code = S3XML.value(of: "Code", in: text) ?? ""
      if code == "RequestTimeTooSkewed" {
        let serverTime = S3XML.value(of: "ServerTime", in: text).flatMap { try? Date($0, strategy: .iso8601) }
          ?? response.headers.first(name: "date").flatMap(Self.httpDate)
        throw .clockSkew(serverTime: serverTime)
      }
      throw .client(status: status, code: code)
    }
  }

  /// Parses an RFC 7231 date (`Fri, 24 May 2013 00:00:00 GMT`).
  static func httpDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: text)
  }
}

enum SHA256Hex {
  static func of(_ data: Data) -> String {
    var hasher = SHA256Hasher()
    hasher.update(data)
    return hasher.finish().sha256
  }
}
