import BlindspotStore
import Foundation

/// Reads a batch manifest: one input per line, either a bare path or `s3://bucket/key`, or a JSON
/// object `{"input": …, "region": "eu", "output_key": "fleet/a.mp4"}`. Blank lines and lines
/// starting with `#` are skipped; the two forms may be mixed.
///
/// Relative paths are relative to the manifest's folder, so every worker reads the same work list
/// wherever it runs. An item listed twice is taken once. Items without `output_key` keep their
/// path below the common folder of all items. Errors are one line naming the file and line.
public enum BatchManifest {
  /// The keys a JSON line may have; any other is an error (a misspelt `region` must not pass).
  static let allowedKeys: Set<String> = ["input", "region", "output_key"]

  public static func load(file path: String) throws(BlindspotError) -> [BatchItem] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw BlindspotError(.usage, subject: path, reason: "cannot read the manifest")
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
    return try parse(String(decoding: data, as: UTF8.self), base: base, name: path)
  }

  /// Parses manifest text; `name` is used in messages.
  public static func parse(_ text: String, base: URL, name: String = "manifest") throws(BlindspotError) -> [BatchItem] {
    var parsed: [(entry: Entry, line: Int)] = []
    var seen: Set<String> = []
    for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard !line.isEmpty, !line.hasPrefix("#") else { continue }
      let entry = try self.entry(line, base: base) { reason in
        BlindspotError(.usage, subject: "\(name):\(index + 1)", reason: reason)
      }
      guard seen.insert(entry.name).inserted else { continue }
      parsed.append((entry, index + 1))
    }
    guard !parsed.isEmpty else { throw BlindspotError(.usage, subject: name, reason: "the manifest lists no input") }
    let root = commonFolder(parsed.map { $0.entry.source.layoutPath })
    var items: [BatchItem] = [], keys: [String: Int] = [:]
    for (entry, line) in parsed {
      let key = entry.outputKey ?? String(entry.source.layoutPath.dropFirst(root.count))
      if let first = keys[key] {
        throw BlindspotError(.usage, subject: "\(name):\(line)", reason: "output key '\(key)' is also the output of line \(first)")
      }
      keys[key] = line
      items.append(BatchItem(source: entry.source, name: entry.name, outputKey: key, region: entry.region, line: line))
    }
    return items
  }

  struct Entry {
    var source: BatchLocation
    var name: String
    var region: Region?
    var outputKey: String?
  }

  private static func entry(_ line: String, base: URL, error fail: (String) -> BlindspotError) throws(BlindspotError) -> Entry {
    guard line.hasPrefix("{") else {
      return try location(line, base: base, error: fail)
    }
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
      throw fail("not a JSON object")
    }
    if let unknown = object.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
      throw fail("unknown key '\(unknown)' (input, region, output_key)")
    }
    guard let input = object["input"] as? String, !input.isEmpty else { throw fail("'input' (a path or s3:// URI) is missing") }
    var entry = try location(input, base: base, error: fail)
    if let value = object["region"] {
      guard let text = value as? String else { throw fail("'region' must be a string") }
      do { entry.region = try Region(validating: text) } catch { throw fail(error.reason) }
    }
    if let value = object["output_key"] {
      guard let key = value as? String, isValidKey(key) else {
        throw fail("'output_key' must be a relative path without '.', '..' or empty segments")
      }
      entry.outputKey = key
    }
    return entry
  }

  private static func location(_ text: String, base: URL, error fail: (String) -> BlindspotError) throws(BlindspotError) -> Entry {
    guard let source = BatchLocation(text, relativeTo: base) else { throw fail("'\(text)' is not s3://bucket/key") }
    let name: String
    switch source {
    case .object: name = text
    case .file: name = text.hasPrefix("/") ? source.layoutPath : (text as NSString).standardizingPath
    }
    return Entry(source: source, name: name)
  }

  /// The longest folder (ending in `/`) that contains every path.
  static func commonFolder(_ paths: [String]) -> String {
    guard var common = paths.first.map({ String($0[...($0.lastIndex(of: "/") ?? $0.startIndex)]) }) else { return "/" }
    for path in paths.dropFirst() {
      while !path.hasPrefix(common) {
        common.removeLast()
        common = String(common[...(common.lastIndex(of: "/") ?? common.startIndex)])
      }
    }
    return common
  }

  static func isValidKey(_ key: String) -> Bool {
    guard !key.isEmpty, !key.hasPrefix("/") else { return false }
    return key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
  }
}
