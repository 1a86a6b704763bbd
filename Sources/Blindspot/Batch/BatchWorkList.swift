import BlindspotStore
import Foundation

/// The work list of a run without a manifest: every video below a folder or an S3 prefix, with
/// its path relative to that root as both its name and its output key (so the layout is kept).
public enum BatchWorkList {
  /// Videos (by `InputResolver.videoExtensions`) below `folder`, sorted; hidden files skipped.
  public static func folder(_ folder: URL) throws(BlindspotError) -> [BatchItem] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue,
          let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                      options: [.skipsHiddenFiles])
    else { throw BlindspotError(.usage, subject: folder.path, reason: "not a folder that can be listed") }
    let base = folder.standardizedFileURL.path
    var items: [BatchItem] = []
    for case let url as URL in walker where InputResolver.videoExtensions.contains(url.pathExtension.lowercased()) {
      let path = url.standardizedFileURL.path
      guard path.hasPrefix(base + "/") else { continue }
      let relative = String(path.dropFirst(base.count + 1))
      items.append(BatchItem(source: .file(url.standardizedFileURL), name: relative, outputKey: relative))
    }
    return items.sorted { $0.name < $1.name }
  }

  /// Videos below `prefix` in `bucket`, listed page by page.
  public static func objects(in bucket: S3Bucket, prefix: String) async throws(BlindspotError) -> [BatchItem] {
    let listed: [S3Bucket.Object]
    do { listed = try await bucket.list(prefix: prefix) } catch {
      throw BlindspotError.wrapping(error, subject: "s3://\(bucket.settings.bucket)/\(prefix)")
    }
    let folder = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    return listed.compactMap { object in
      guard object.key.hasPrefix(folder), !object.key.hasSuffix("/"),
            InputResolver.videoExtensions.contains((object.key as NSString).pathExtension.lowercased()) else { return nil }
      let relative = String(object.key.dropFirst(folder.count))
      guard BatchManifest.isValidKey(relative), !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
      return BatchItem(source: .object(bucket: bucket.settings.bucket, key: object.key), name: relative, outputKey: relative)
    }.sorted { $0.name < $1.name }
  }
}
