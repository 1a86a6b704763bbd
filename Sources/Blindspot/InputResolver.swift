import Foundation

/// Turns what the user named (files, folders, `-`) and an output path into jobs.
///
/// - One file (or `-`) and an output that is not a directory: the output is that file.
/// - One file and an existing directory (or a path ending in `/`): `DIR/<input name>`.
/// - Several inputs or a folder: the output is a directory (created if missing); files found in a
///   folder keep their path relative to it, so a TeslaCam tree keeps its layout.
/// With `formatExtension`, output names take that extension instead of the input's.
public struct InputResolver: Sendable {
  /// Extensions of files taken from folders; anything FFmpeg reads can still be named directly.
  public static let videoExtensions: Set<String> = [
    "mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "m2ts", "mts", "mpg", "mpeg", "flv", "3gp", "h264", "264", "h265", "265", "hevc",
  ]

  public var formatExtension: String?

  public init(formatExtension: String? = nil) { self.formatExtension = formatExtension }

  public func jobs(inputs: [String], output: String, detectionsLog: String? = nil) throws(BlindspotError) -> [AnonymizeJob] {
    guard !inputs.isEmpty else { throw BlindspotError(.usage, subject: "", reason: "no input given") }
    let fileManager = FileManager.default
    let outputURL = URL(fileURLWithPath: output)
    var outputIsDirectory: ObjCBool = false
    let outputExists = fileManager.fileExists(atPath: output, isDirectory: &outputIsDirectory)
    let folderInputs = inputs.filter { input in
      var isDirectory: ObjCBool = false
      return input != "-" && fileManager.fileExists(atPath: input, isDirectory: &isDirectory) && isDirectory.boolValue
    }
    let single = inputs.count == 1 && folderInputs.isEmpty
    let wantsDirectory = !single || output.hasSuffix("/") || (outputExists && outputIsDirectory.boolValue)
    if detectionsLog != nil, !single {
      throw BlindspotError(.usage, subject: "", reason: "--detections takes one input; give one file")
    }
    if inputs.filter({ $0 == "-" }).count > 0, !single {
      throw BlindspotError(.usage, subject: "", reason: "standard input ('-') cannot be combined with other inputs")
    }

    if single, !wantsDirectory {
      return [job(for: inputs[0], output: outputURL, detectionsLog: detectionsLog)]
    }
    if inputs.contains("-") {
      throw BlindspotError(.usage, subject: "-", reason: "standard input needs an output file name, not a directory")
    }
    if !single {
      do {
        try fileManager.createDirectory(at: outputURL, withIntermediateDirectories: true)
      } catch {
        throw BlindspotError(.badInput, subject: output, reason: "cannot create the output directory")
      }
    }
    var jobs: [AnonymizeJob] = []
    for input in inputs {
      if folderInputs.contains(input) {
        for (file, relative) in try videos(in: URL(fileURLWithPath: input)) {
          let target = outputURL.appendingPathComponent(renamed(relative))
          do {
            try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
          } catch {
            throw BlindspotError(.badInput, subject: target.path, reason: "cannot create the output directory")
          }
          jobs.append(.file(file, output: target))
        }
      } else {
        let name = URL(fileURLWithPath: input).lastPathComponent
        jobs.append(job(for: input, output: outputURL.appendingPathComponent(renamed(name)), detectionsLog: detectionsLog))
      }
    }
    guard !jobs.isEmpty else {
      throw BlindspotError(.badInput, subject: inputs.joined(separator: " "), reason: "no video files found")
    }
    return jobs
  }

  private func job(for input: String, output: URL, detectionsLog: String?) -> AnonymizeJob {
    let log = detectionsLog.map { URL(fileURLWithPath: $0) }
    if input == "-" {
      return AnonymizeJob(source: "pipe:0", name: "-", file: nil, output: output, detectionsLog: log)
    }
    if input.contains("://") {
      return AnonymizeJob(source: input, name: input, file: nil, output: output, detectionsLog: log)
    }
    return .file(URL(fileURLWithPath: input), output: output, detectionsLog: log)
  }

  private func renamed(_ relativePath: String) -> String {
    guard let formatExtension else { return relativePath }
    return (relativePath as NSString).deletingPathExtension + "." + formatExtension
  }

  /// Video files under `folder`, sorted, with their paths relative to it. Hidden files (such as
  /// our own partial outputs) are skipped.
  private func videos(in folder: URL) throws(BlindspotError) -> [(URL, String)] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                      options: [.skipsHiddenFiles])
    else { throw BlindspotError(.badInput, subject: folder.path, reason: "cannot list the folder") }
    let base = folder.standardizedFileURL.path
    var found: [(URL, String)] = []
    for case let url as URL in walker where Self.videoExtensions.contains(url.pathExtension.lowercased()) {
      let path = url.standardizedFileURL.path
      let relative = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : url.lastPathComponent
      found.append((url, relative))
    }
    return found.sorted { $0.1 < $1.1 }
  }
}
