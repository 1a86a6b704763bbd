import Foundation

/// fsync(2) by path: a file's bytes, or a directory's entries (so that a rename or link into it
/// survives a power cut).
public enum Fsync {
  public static func file(at url: URL) throws { try sync(url.path, flags: O_RDONLY) }

  public static func directory(at url: URL) throws { try sync(url.path, flags: O_RDONLY | O_DIRECTORY) }

  private static func sync(_ path: String, flags: Int32) throws {
    let descriptor = open(path, flags | O_CLOEXEC)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
  }
}
