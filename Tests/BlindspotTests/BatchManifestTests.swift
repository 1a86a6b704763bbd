import BlindspotStore
import Foundation
import Testing

import BlindspotTestSupport

@testable import Blindspot

/// Manifest parsing and folder walks: the work list every shard computes the same way.
@Suite struct BatchManifestTests {
  let base = URL(fileURLWithPath: "/archive/lists")

  @Test func plainLinesResolveAgainstTheManifestFolderAndKeepTheirLayout() throws {
    // Given paths, a comment, a blank line and a duplicate
    let text = """
      # fleet 7
      ../cams/a/front.mp4

      /archive/cams/b/front.mp4
      ../cams/a/front.mp4
      """
    // When parsed
    let items = try BatchManifest.parse(text, base: base)
    // Then relative paths are the manifest folder's, the duplicate is dropped, and outputs keep
    // the layout below the common folder
    #expect(items.map(\.source) == [.file(URL(fileURLWithPath: "/archive/cams/a/front.mp4")),
                                    .file(URL(fileURLWithPath: "/archive/cams/b/front.mp4"))])
    #expect(items.map(\.outputKey) == ["a/front.mp4", "b/front.mp4"])
    #expect(items.map(\.name) == ["../cams/a/front.mp4", "/archive/cams/b/front.mp4"])
    #expect(items.map(\.line) == [2, 4])
  }

  @Test func jsonLinesCarryRegionAndOutputKey() throws {
    let text = """
      {"input": "s3://raw/eu/2024/clip.mp4", "region": "eu", "output_key": "fleet/clip.mp4"}
      s3://raw/us/2024/other.mp4
      """
    let items = try BatchManifest.parse(text, base: base)
    #expect(items[0].source == .object(bucket: "raw", key: "eu/2024/clip.mp4"))
    #expect(items[0].region == .eu && items[0].outputKey == "fleet/clip.mp4")
    #expect(items[1].region == nil && items[1].outputKey == "us/2024/other.mp4")
  }

  @Test(arguments: [
    ("a.mp4\n{\"input\": 3}", "manifest:2"),
    ("{\"input\": \"a.mp4\", \"regoin\": \"eu\"}", "manifest:1: unknown key 'regoin'"),
    ("{\"input\": \"a.mp4\", \"region\": \"mars\"}", "manifest:1: unknown region 'mars'"),
    ("{\"input\": \"a.mp4\", \"output_key\": \"../x.mp4\"}", "manifest:1: 'output_key'"),
    ("{not json", "manifest:1: not a JSON object"),
    ("s3://bucket-only", "manifest:1"),
    ("a/x.mp4\n{\"input\": \"b.mp4\", \"output_key\": \"a/x.mp4\"}", "manifest:2: output key 'a/x.mp4' is also the output of line 1"),
    ("# nothing\n", "manifest: the manifest lists no input"),
  ])
  func badLinesAreUsageErrorsNamingTheLine(text: String, message: String) {
    #expect { try BatchManifest.parse(text, base: base) } throws: { error in
      guard let error = error as? BlindspotError else { return false }
      return error.status == .usage && error.description.hasPrefix(message)
    }
  }

  @Test func aFolderWalkKeepsPathsRelativeToTheFolder() throws {
    let folder = try Fixtures.scratchDirectory("walk")
    defer { try? FileManager.default.removeItem(at: folder) }
    for path in ["b/2.mp4", "a/1.MOV", "a/notes.txt", "a/.1.mp4.partial-x"] {
      let url = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("x".utf8).write(to: url)
    }
    let items = try BatchWorkList.folder(folder)
    #expect(items.map(\.name) == ["a/1.MOV", "b/2.mp4"])
    #expect(items.map(\.outputKey) == ["a/1.MOV", "b/2.mp4"])
  }
}
