import Foundation

/// The hidden temporary files every writer in Blindspot fills before a file appears under its
/// final name (invariant 5): how they are named, and which of them no writer will ever finish.
///
/// A killed process cannot remove its temporary file, so the name records its writer:
/// `.NAME.partial-PID-HOST-TOKEN`, beside the final file (one file system, so the final rename or
/// link is atomic). The next write of the same file removes the temporary files of writers on this
/// host that no longer run, and any temporary file nothing has written to for `abandonedAfter`:
/// another host's on a shared volume (array jobs on Kubernetes, AWS Batch or Slurm rerun under
/// another host name), an older name form's, or one whose process id was reused. Writers never
/// pause that long: the pipeline writes to its output as it encodes.
public enum PartialFile {
  /// How long a temporary file must have gone unwritten before the next write of the same file
  /// removes it whoever wrote it.
  public static let abandonedAfter: TimeInterval = 24 * 3600

  /// A new temporary name for `finalURL`, owned by this process.
  public static func temporaryURL(for finalURL: URL) -> URL {
    let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    return finalURL.deletingLastPathComponent().appendingPathComponent("\(prefix(of: finalURL))\(getpid())-\(host)-\(token)")
  }

  /// Removes the temporary files of `finalURL` that no writer will finish (see the type).
  public static func removeAbandoned(of finalURL: URL) {
    let directory = finalURL.deletingLastPathComponent()
    let prefix = prefix(of: finalURL)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
    for name in names where name.hasPrefix(prefix) {
      let path = directory.appendingPathComponent(name).path
      if writerHasExited(name.dropFirst(prefix.count)) || untouchedFor(path) > abandonedAfter { unlink(path) }
    }
  }

  private static func prefix(of finalURL: URL) -> String { ".\(finalURL.lastPathComponent).partial-" }

  /// This machine's name as temporary names carry it: reduced to letters and digits, so that it
  /// cannot contain the separator.
  public static let host: String = {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "host" }
    let kept = String(cString: name).unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
    return kept.isEmpty ? "host" : String(String.UnicodeScalarView(kept.prefix(32)))
  }()

  /// Whether `<pid>-<host>-<token>` names a writer on this host that no longer exists.
  private static func writerHasExited(_ suffix: Substring) -> Bool {
    let parts = suffix.split(separator: "-")
    guard parts.count == 3, parts[1] == host, let pid = Int32(parts[0]), pid > 0, pid != getpid() else { return false }
    return kill(pid, 0) != 0 && errno == ESRCH
  }

  /// Seconds since `path` was last written (0 when that cannot be read).
  private static func untouchedFor(_ path: String) -> TimeInterval {
    let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
    return modified.map { -$0.timeIntervalSinceNow } ?? 0
  }
}
