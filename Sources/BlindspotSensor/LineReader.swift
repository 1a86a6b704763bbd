import Foundation

/// Reads a file (or standard input) line by line in fixed-size chunks, so memory stays bounded
/// by the chunk size and the longest line, whatever the file's size.
///
/// Not thread-safe: one reader per file, used from one task.
public final class LineReader {
  /// The longest line accepted; a longer one is bad input rather than a reason to grow without bound.
  public static let maximumLineLength = 1 << 20

  /// Nil when reading from memory (`init(bytes:)`).
  private let handle: FileHandle?
  private let closeOnDeinit: Bool
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd = false
  /// 1-based number of the line last returned.
  public private(set) var lineNumber = 0

  public init(handle: FileHandle, closeOnDeinit: Bool = false) {
    self.handle = handle
    self.closeOnDeinit = closeOnDeinit
  }

  /// Reads lines from bytes already in memory (text collected from a video's subtitle track).
  public init(bytes: [UInt8]) {
    handle = nil
    closeOnDeinit = false
    buffer = bytes
    atEnd = true
  }

  /// Opens `url` for reading.
  public convenience init(url: URL) throws(SensorError) {
    guard let handle = try? FileHandle(forReadingFrom: url) else {
      throw SensorError(.badInput, file: url.path, "cannot open for reading")
    }
    self.init(handle: handle, closeOnDeinit: true)
  }

  deinit {
    if closeOnDeinit { try? handle?.close() }
  }

  /// The next line without its terminator (`\n` or `\r\n`), or `nil` at the end of the input.
  public func next() throws(SensorError) -> String? {
    while true {
      if let newline = buffer[start...].firstIndex(of: 10) {
        var end = newline
        if end > start, buffer[end - 1] == 13 { end -= 1 }
        let line = String(decoding: buffer[start..<end], as: UTF8.self)
        start = newline + 1
        lineNumber += 1
        return line
      }
      guard buffer.count - start <= Self.maximumLineLength else {
        throw SensorError(.badInput, line: lineNumber + 1, "line longer than \(Self.maximumLineLength) bytes")
      }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = String(decoding: buffer[start...], as: UTF8.self)
        start = buffer.count
        lineNumber += 1
        return line
      }
      // Compact before reading more: this is safe, start <= buffer.count.
      if start > 0 {
        buffer.removeSubrange(0..<start)
        start = 0
      }
      let chunk: Data
      do {
        chunk = try handle?.read(upToCount: 64 * 1024) ?? Data()
      } catch {
        throw SensorError(.io, line: lineNumber + 1, "read failed")
      }
      if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
    }
  }
}
