import Crypto
import Foundation

/// SHA-256 and size of a file, read in chunks so a large segment is never wholly in memory.
package struct FileDigest: Hashable, Sendable {
  package let sha256: String
  package let size: Int64

  static let chunkSize = 1 << 20

  package static func of(_ url: URL) throws -> FileDigest {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256(), size: Int64 = 0
    while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
      hasher.update(data: chunk)
      size += Int64(chunk.count)
    }
    return FileDigest(sha256: hasher.finalize().hex, size: size)
  }
}

extension Sequence where Element == UInt8 {
  /// Lower-case hex.
  var hex: String {
    var text = ""
    for byte in self {
      text.append(Character(Unicode.Scalar(hexDigits[Int(byte >> 4)])))
      text.append(Character(Unicode.Scalar(hexDigits[Int(byte & 0x0f)])))
    }
    return text
  }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// SHA-256 and byte count of data fed in pieces.
struct SHA256Hasher {
  private var hasher = SHA256()
  private var size: Int64 = 0

  mutating func update(_ data: Data) {
    hasher.update(data: data)
    size += Int64(data.count)
  }

  func finish() -> FileDigest { FileDigest(sha256: hasher.finalize().hex, size: size) }
}
