import Foundation

/// Finds complete segments in the spool by polling, helped by inotify where there is one.
///
/// A file is complete when the kernel said its writer closed it (`IN_CLOSE_WRITE`, or it was
/// renamed into place) and it has not been written since; or, without such a notice, when its
/// size has not changed since the previous scan and its modification time is at least `settle`
/// old: recorders append to a segment until they close it. A partial segment is never taken.
///
/// Thread-safety: not `Sendable`; owned by the service's scanning task.
final class SpoolScanner {
  struct Observation: Equatable {
    var bytes: Int64
    var modified: Date
  }

  let layout: SpoolLayout
  private let watch: SpoolWatch?
  private var previous: [String: Observation] = [:]

  init(layout: SpoolLayout, useInotify: Bool = true) {
    self.layout = layout
    self.watch = useInotify ? SpoolWatch.start(root: layout.settings.directory) : nil
  }

  /// Whether close notices from the kernel are in use.
  var isWatching: Bool { watch != nil }

  var root: URL { layout.settings.directory }

  /// Segments complete at `now`, with their sizes, and the bytes of every segment file seen.
  func scan(now: Date = Date()) -> (complete: [(segment: SpoolSegment, bytes: Int64)], spoolBytes: Int64) {
    var current: [String: Observation] = [:]
    var complete: [(segment: SpoolSegment, bytes: Int64)] = []
    var spoolBytes: Int64 = 0
    let settle = layout.settings.settle.seconds
    _ = watch?.drain(now: now)
    for (path, observation) in observe() {
      guard let segment = layout.segment(at: path) else { continue }
      current[path] = observation
      spoolBytes += observation.bytes
      let closedSinceLastWrite = watch?.closed[path].map { observation.modified <= $0 } ?? false
      let unchanged = previous[path]?.bytes == observation.bytes || settle == 0
      if closedSinceLastWrite || (unchanged && now.timeIntervalSince(observation.modified) >= settle) {
        complete.append((segment, observation.bytes))
        watch?.forget(path)
      }
    }
    previous = current
    return (complete, spoolBytes)
  }

  /// Every regular file below the root, by spool-relative path.
  private func observe() -> [(String, Observation)] {
    let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys,
                                                      options: [.skipsHiddenFiles]) else { return [] }
    let rootPath = root.standardizedFileURL.path
    var found: [(String, Observation)] = []
    for case let url as URL in walker {
      guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
            let size = values.fileSize, let modified = values.contentModificationDate else { continue }
      let full = url.standardizedFileURL.path
      guard full.hasPrefix(rootPath + "/") else { continue }
      found.append((String(full.dropFirst(rootPath.count + 1)), Observation(bytes: Int64(size), modified: modified)))
    }
    return found
  }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) / 1e18
  }
}
