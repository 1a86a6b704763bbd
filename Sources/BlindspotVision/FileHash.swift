import Crypto
import Foundation

/// sha256 of files: model files are checked against their pins, inputs are recorded in sidecars.
public enum FileHash {
  /// Hex sha256 of the file's bytes, read in 1 MiB chunks.
  public static func sha256(of url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }
}
