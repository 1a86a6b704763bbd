import BlindspotVision
import Foundation

/// Checks made before any decoding, so the common mistakes fail fast with a clear message and
/// nothing is written: missing or empty input, unusable output directory, output equal to input.
enum Preflight {
  struct InputFacts {
    var sha256: String?
    var bytes: Int64?
  }

  static func check(_ job: AnonymizeJob) throws -> InputFacts {
    var facts = InputFacts()
    if let file = job.file {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else {
        throw BlindspotError(.badInput, subject: job.name, reason: "no such file")
      }
      guard !isDirectory.boolValue else { throw BlindspotError(.badInput, subject: job.name, reason: "is a directory") }
      let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
      guard size > 0 else { throw BlindspotError(.badInput, subject: job.name, reason: "the file is empty") }
      guard FileManager.default.isReadableFile(atPath: file.path) else {
        throw BlindspotError(.badInput, subject: job.name, reason: "the file is not readable")
      }
      if sameFile(file, job.output) {
        throw BlindspotError(.badInput, subject: job.name, reason: "the output is the input; choose another output path")
      }
      facts.bytes = size
      do {
        facts.sha256 = try FileHash.sha256(of: file)
      } catch {
        throw BlindspotError(.badInput, subject: job.name, reason: "cannot read the file (\(error.localizedDescription))")
      }
    }
    try checkWritableDirectory(for: job.output, subject: job.output.path)
    if let log = job.detectionsLog { try checkWritableDirectory(for: log, subject: log.path) }
    return facts
  }

  /// The directory must exist and accept a new file. Tried for real (create, then remove), since
  /// permission bits say nothing about read-only mounts and nothing at all to root.
  private static func checkWritableDirectory(for output: URL, subject: String) throws {
    let directory = output.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw BlindspotError(.badInput, subject: subject, reason: "the output directory does not exist")
    }
    let probe = directory.appendingPathComponent(".blindspot-write-test-\(UInt32.random(in: 0...UInt32.max))")
    let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else {
      throw BlindspotError(.badInput, subject: subject, reason: "the output directory is not writable (\(String(cString: strerror(errno))))")
    }
    close(descriptor)
    unlink(probe.path)
  }

  /// True when both paths name the same file (symlinks and hard links included).
  private static func sameFile(_ a: URL, _ b: URL) -> Bool {
    if a.standardizedFileURL.resolvingSymlinksInPath() == b.standardizedFileURL.resolvingSymlinksInPath() { return true }
    var first = stat(), second = stat()
    guard stat(a.path, &first) == 0, stat(b.path, &second) == 0 else { return false }
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino
  }
}
