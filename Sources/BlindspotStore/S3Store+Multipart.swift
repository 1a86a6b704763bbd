import Crypto
import Foundation

extension S3Store {
  /// Uploads `file` in parts of `settings.partSize` bytes: initiate, upload each part (each
  /// retried on its own), complete. Returns the ETag S3 computes for a multipart object
  /// (`MD5(MD5(part 1) … MD5(part n))-n`, quoted).
  ///
  /// If the server forgets the upload midway (`NoSuchUpload`: a restarted S3-compatible server, a
  /// lifecycle rule that aborts incomplete uploads), the whole upload starts again, once. On any
  /// other failure the upload is aborted so no parts are left behind (and billed).
  func putMultipart(_ file: URL, size: Int64, sha256: String, key: String) async throws(StoreError) -> String {
    var restarted = false
    while true {
      do {
        return try await multipartOnce(file, size: size, sha256: sha256, key: key)
      } catch let error as UploadLost {
        guard !restarted else {
          throw StoreError(.unavailable, "multipart upload of \(key) was lost by the server twice (\(error.operation)); retry")
        }
        restarted = true
      } catch let error as StoreError {
        throw error
      } catch {
        throw StoreError(.unavailable, "multipart upload of \(key) failed: \(error)")  // Not thrown by multipartOnce.
      }
    }
  }

  /// The server no longer knows the upload id.
  struct UploadLost: Error { let operation: String }

  private func multipartOnce(_ file: URL, size: Int64, sha256: String, key: String) async throws -> String {
    let initiated: S3Response
    do {
      initiated = try await client.send(.POST, key: key, query: [("uploads", "")], headers: [("x-amz-meta-sha256", sha256)])
    } catch {
      throw storeError(error, operation: "initiate multipart upload of \(key)")
    }
    guard let uploadID = S3XML.value(of: "UploadId", in: initiated.body), !uploadID.isEmpty else {
      throw StoreError(.unavailable, "initiate multipart upload of \(key): no UploadId in the answer")
    }
    do {
      let handle = try FileHandle(forReadingFrom: file)
      defer { try? handle.close() }
      var etags: [String] = [], partDigests: [UInt8] = [], hasher = SHA256()
      var partNumber = 1, offset: Int64 = 0
      while offset < size {
        try Task.checkCancellation()
        let data = try handle.read(upToCount: settings.partSize) ?? Data()
        guard !data.isEmpty else { throw changed(file) }
        hasher.update(data: data)
        partDigests += Array(Insecure.MD5.hash(data: data))
        let response = try await uploadPart(data, number: partNumber, uploadID: uploadID, key: key)
        guard let etag = response.headers.first(name: "etag") else {
          throw StoreError(.unavailable, "upload part \(partNumber) of \(key): no ETag in the answer")
        }
        etags.append(etag)
        offset += Int64(data.count)
        await afterPart?(partNumber)
        partNumber += 1
      }
      guard hasher.finalize().hex == sha256, offset == size else { throw changed(file) }
      try await complete(uploadID: uploadID, etags: etags, key: key, sha256: sha256)
      return "\"\(Insecure.MD5.hash(data: partDigests).hex)-\(etags.count)\""
    } catch let error as UploadLost {
      throw error
    } catch {
      // Best effort: a failed abort leaves parts that the bucket's lifecycle rule must clean.
      _ = try? await client.send(.DELETE, key: key, query: [("uploadId", uploadID)])
      if let error = error as? StoreError { throw error }
      if error is CancellationError { throw StoreError(.unavailable, "upload of \(key) cancelled") }
      throw StoreError(.unavailable, "cannot read \(file.lastPathComponent) for upload")
    }
  }

  private func uploadPart(_ data: Data, number: Int, uploadID: String, key: String) async throws -> S3Response {
    do {
      return try await client.send(.PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: data)
    } catch {
      if case .client(404, "NoSuchUpload") = error.failure { throw UploadLost(operation: "part \(number)") }
      throw storeError(error, operation: "upload part \(number) of \(key)")
    }
  }

  private func complete(uploadID: String, etags: [String], key: String, sha256: String) async throws {
    var body = "<CompleteMultipartUpload>"
    for (index, etag) in etags.enumerated() {
      body += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
    }
    body += "</CompleteMultipartUpload>"
    do {
      _ = try await client.send(.POST, key: key, query: [("uploadId", uploadID)],
                                headers: [("content-type", "application/xml")], body: Data(body.utf8))
    } catch {
      guard case .client(404, "NoSuchUpload") = error.failure else {
        throw storeError(error, operation: "complete multipart upload of \(key)")
      }
      // A retried Complete whose first try succeeded unseen also gets NoSuchUpload: the object
      // is then there, with our checksum; verification follows.
      if let existing = try await head(key), existing.sha256 == sha256 { return }
      throw UploadLost(operation: "complete")
    }
  }
}
