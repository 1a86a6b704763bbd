import Foundation

/// Runs a program to completion and measures it the way `time -v` does: wall time, CPU time of
/// all its threads, and its own peak resident memory (from `wait4`, so runs do not mix).
struct MeasuredChild {
  var status: Int32
  var standardOutput: Data
  var wallSeconds: Double
  var cpuSeconds: Double
  var peakResidentBytes: Int

  static func run(_ executable: String, _ arguments: [String]) throws -> MeasuredChild {
    var pipe: [Int32] = [0, 0]
    guard Glibc.pipe(&pipe) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipe[1], STDOUT_FILENO)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let started = DispatchTime.now().uptimeNanoseconds
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    close(pipe[1])
    guard spawned == 0 else {
      close(pipe[0])
      throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
    }
    let output = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    // WIFEXITED / WEXITSTATUS are macros: an exit status sits in bits 8–15 when the low 7 bits are 0.
    let exited = status & 0x7f == 0
    return MeasuredChild(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), standardOutput: output,
                         wallSeconds: wall, cpuSeconds: cpu, peakResidentBytes: Int(usage.ru_maxrss) * 1024)
  }
}
