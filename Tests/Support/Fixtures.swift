import Foundation

/// Real inputs for tests: photos fetched from Debian/PyPI packages by `scripts/fetch-assets.sh`,
/// models installed by `models/fetch.sh`, and clips built from the photos with the `ffmpeg` CLI.
/// Nothing here is a stand-in: a missing asset or model fails the test with the command to run.
public enum Fixtures {
  public static let environment = ProcessInfo.processInfo.environment

  public static var assetsDirectory: URL {
    if let path = environment["BLINDSPOT_ASSETS"], !path.isEmpty { return URL(fileURLWithPath: path) }
    return URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache/blindspot/assets")
  }

  /// A fetched photo by its installed name (see assets/manifest.json).
  public static func asset(_ name: String) throws -> URL {
    let url = assetsDirectory.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw FixtureError("asset \(name) missing in \(assetsDirectory.path): run scripts/fetch-assets.sh")
    }
    return url
  }

  /// The repository root, from this file's location.
  public static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  /// The `blindspot` executable next to the running test bundle.
  public static var cliBinary: URL {
    if let path = environment["BLINDSPOT_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = runner.deletingLastPathComponent()
    // On Linux the runner is `…/debug/BlindspotPackageTests.xctest`; elsewhere it may sit inside a bundle.
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent("blindspot")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return repositoryRoot.appendingPathComponent(".build/debug/blindspot")
  }

  /// A fresh directory under the system temporary directory (`$TMPDIR`: scripts/test.sh gives each
  /// run its own and removes it after a green run).
  public static func scratchDirectory(_ label: String = "test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

public struct FixtureError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
