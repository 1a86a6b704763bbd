import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Closed-for-writing notices from the kernel (inotify `IN_CLOSE_WRITE`), so a segment can be
/// taken as soon as its recorder closes it instead of after `settle_s` of silence. Events are
/// read in order: a write after a close (`IN_MODIFY`) cancels the close.
///
/// Watches every directory below the spool, adding new ones as they appear. Where inotify is not
/// available (another OS, a file system without it, the watch limit reached) `start` returns nil
/// and the scanner's size-and-age rule alone decides.
///
/// Thread-safety: not `Sendable`; owned by the service's scanning task, like `SpoolScanner`.
final class SpoolWatch {
  private let descriptor: Int32
  private let root: URL
  private var watched: [Int32: String] = [:]  // watch descriptor → spool-relative directory ("" = root)
  /// Spool-relative paths closed after writing, with when the notice was read.
  private(set) var closed: [String: Date] = [:]

  static func start(root: URL) -> SpoolWatch? {
    #if canImport(Glibc)
    let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    guard descriptor >= 0 else { return nil }
    let watch = SpoolWatch(descriptor: descriptor, root: root)
    guard watch.add(directory: "") else { return nil }
    watch.addTree(under: "")
    return watch
    #else
    return nil
    #endif
  }

  private init(descriptor: Int32, root: URL) {
    self.descriptor = descriptor
    self.root = root.standardizedFileURL
  }

  deinit { close(descriptor) }

  /// Reads every pending notice without blocking; returns the paths closed since the last call.
  func drain(now: Date = Date()) -> Set<String> {
    var fresh: Set<String> = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else { break }  // EAGAIN: nothing more now
      var offset = 0
      while offset + MemoryLayout<inotify_event>.size <= count {
        let (wd, mask, length, name) = buffer.withUnsafeBytes { bytes -> (Int32, UInt32, Int, String) in
          let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
          let start = offset + MemoryLayout<inotify_event>.size
          let raw = bytes[start..<min(start + Int(event.len), count)].prefix { $0 != 0 }
          return (event.wd, event.mask, Int(event.len), String(decoding: raw, as: UTF8.self))
        }
        offset += MemoryLayout<inotify_event>.size + length
        guard let directory = watched[wd], !name.isEmpty else { continue }
        let path = directory.isEmpty ? name : "\(directory)/\(name)"
        if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
          if add(directory: path) { addTree(under: path) }  // files written before the watch: the scanner's rule
        } else if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
          closed[path] = now
          fresh.insert(path)
        } else if mask & UInt32(IN_MODIFY) != 0 {
          closed[path] = nil  // written again after a close: open once more, not complete
          fresh.remove(path)
        }
      }
    }
    return fresh
  }

  /// Forgets a path once the journal has it.
  func forget(_ path: String) { closed[path] = nil }

  private func add(directory: String) -> Bool {
    let url = directory.isEmpty ? root : root.appendingPathComponent(directory)
    let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ONLYDIR)
    let wd = inotify_add_watch(descriptor, url.path, mask)
    guard wd >= 0 else { return false }
    watched[wd] = directory
    return true
  }

  private func addTree(under directory: String) {
    let url = directory.isEmpty ? root : root.appendingPathComponent(directory)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
    for name in names where !name.hasPrefix(".") {
      var isDirectory: ObjCBool = false
      let path = directory.isEmpty ? name : "\(directory)/\(name)"
      if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory),
         isDirectory.boolValue, add(directory: path) {
        addTree(under: path)
      }
    }
  }
}
