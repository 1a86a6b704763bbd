import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessResult {
  public var status: Int32
  public var standardOutput: Data
  public var standardError: String
  public var output: String { String(decoding: standardOutput, as: UTF8.self) }
}

public enum Subprocess {
  /// Runs `executable` with `arguments`; `input` is fed to standard input when given.
  @discardableResult
  public static func run(_ executable: String, _ arguments: [String], input: Data? = nil, directory: URL? = nil,
                         environment: [String: String]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    // Read both pipes (and feed stdin) concurrently so a chatty child cannot block on a full pipe.
    let group = DispatchGroup()
    let errorData = Collected()
    let errorHandle = stderr.fileHandleForReading
    DispatchQueue.global().async(group: group) { errorData.data = errorHandle.readDataToEndOfFile() }
    if let input {
      let writer = stdin.fileHandleForWriting
      DispatchQueue.global().async(group: group) {
        try? writer.write(contentsOf: input)
        try? writer.close()
      }
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    group.wait()
    return ProcessResult(status: process.terminationStatus, standardOutput: outputData,
                         standardError: String(decoding: errorData.data, as: UTF8.self))
  }

  /// Runs the `ffmpeg` CLI and throws when it fails (fixture building must not fail silently).
  public static func ffmpeg(_ arguments: [String], input: Data? = nil) throws {
    let result = try run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + arguments, input: input)
    guard result.status == 0 else { throw FixtureError("ffmpeg \(arguments.joined(separator: " ")) failed: \(result.standardError)") }
  }
}

/// Bytes filled in by one reader thread and read after it finished (the group's wait orders them).
private final class Collected: @unchecked Sendable {
  var data = Data()
}
