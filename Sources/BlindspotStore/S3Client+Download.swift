import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
  /// Streams object `key` into `file` (created or truncated), hashing the bytes as they arrive,
  /// so a video is never wholly in memory. Retried like `send`; each attempt starts the file over.
  func download(key: String, to file: URL) async throws(S3RequestFailure) -> FileDigest {
    var attempt = 1
    while true {
      do {
        return try await downloadOnce(key: key, to: file)
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

  private func downloadOnce(key: String, to file: URL) async throws(S3Failure) -> FileDigest {
    let (host, path) = target(key: key)
    let signed = signer.sign(
      SigV4Signer.Request(method: "GET", path: path, query: [], headers: [("host", host)],
                          payloadHash: SigV4Signer.emptyPayloadHash),
      at: clock.now)
    let scheme = settings.endpoint.scheme ?? "https"
    var request = HTTPClientRequest(url: "\(scheme)://\(host)\(path)")
    request.method = .GET
    for (name, value) in signed { request.headers.add(name: name, value: value) }
    let response: HTTPClientResponse
    do {
      response = try await http.execute(request, timeout: .seconds(Int64(settings.requestTimeout.components.seconds)))
    } catch {
      throw .transport(String(describing: error))
    }
    let status = Int(response.status.code)
    guard (200..<300).contains(status) else {
      // Error answers are small XML documents.
      let text = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
      let code = S3XML.value(of: "Code", in: text) ?? ""
      if status >= 500 { throw .server(status: status, code: code) }
      if code == "RequestTimeTooSkewed" {
        throw .clockSkew(serverTime: S3XML.value(of: "ServerTime", in: text).flatMap { try? Date($0, strategy: .iso8601) })
      }
      throw .client(status: status, code: code)
    }
    guard FileManager.default.createFile(atPath: file.path, contents: nil),
          let handle = try? FileHandle(forWritingTo: file) else {
      throw .transport("cannot create \(file.path)")
    }
    defer { try? handle.close() }
    var hasher = SHA256Hasher()
    do {
      for try await buffer in response.body {
        let data = Data(buffer.readableBytesView)
        hasher.update(data)
        try handle.write(contentsOf: data)
      }
      try handle.synchronize()
    } catch {
      // A connection lost mid-body is retried from the start.
      throw .transport("download of \(key) interrupted: \(error)")
    }
    return hasher.finish()
  }
}
