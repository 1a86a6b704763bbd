import BlindspotTestSupport
import Foundation
import Testing

@testable import Blindspot

/// `blindspot batch` as an array engine runs it: three shard processes of the built binary over a
/// manifest of tiny clips, one of them killed midway and run again.
@Suite(.serialized, .timeLimit(.minutes(10))) struct BatchEndToEndTests {
  /// 160×120, 6 frames: enough for the pipeline, cheap on two cores.
  static func makeClip(_ url: URL, seed: Int) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Subprocess.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=12", "-vf", "hue=h=\(seed * 40)", "-frames:v", "6",
                           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", url.path])
  }

  /// The archive: a TeslaCam minute (2 cameras), an event folder (2 cameras), 8 single clips and
  /// one file that is not a video. 12 clips in 10 units, plus the bad one.
  static let clips = [
    "TeslaCam/RecentClips/2024-05-01_10-00-00-front.mp4", "TeslaCam/RecentClips/2024-05-01_10-00-00-back.mp4",
    "TeslaCam/SavedClips/2024-05-02_09-00-00/2024-05-02_08-59-00-front.mp4",
    "TeslaCam/SavedClips/2024-05-02_09-00-00/2024-05-02_08-59-00-back.mp4",
  ] + (1...8).map { "dashcam/clip\($0).mp4" }
  static let broken = "dashcam/broken.mp4"

  /// The unit of an archive file: the manifest names it `archive/…`, relative to the manifest.
  static func unit(of clip: String) -> String { BatchUnit.unitID(of: "archive/" + clip) }

  func batch(_ arguments: [String]) throws -> ProcessResult {
    try Subprocess.run(Fixtures.cliBinary.path, ["batch"] + arguments)
  }

  func units(_ result: ProcessResult) throws -> Set<String> {
    Set(try result.output.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["unit"] as? String ?? ""
    })
  }

  func report(_ url: URL) throws -> ShardReport { try ShardReport.decode(Data(contentsOf: url)) }

  /// Device and inode of a file, and its modification time: changes when a run rewrites it.
  func identity(_ url: URL) throws -> String {
    var info = stat()
    guard stat(url.path, &info) == 0 else { throw FixtureError("stat \(url.path) failed") }
    return "\(info.st_dev):\(info.st_ino):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }

  @Test func threeShardsCoverTheManifestOnceAndAKilledShardResumes() throws {
    let work = try Fixtures.scratchDirectory("batch")
    defer { try? FileManager.default.removeItem(at: work) }
    // Given an archive, a manifest of it and the same manifest reversed
    let archive = work.appendingPathComponent("archive"), output = work.appendingPathComponent("anon")
    for (index, clip) in Self.clips.enumerated() { try Self.makeClip(archive.appendingPathComponent(clip), seed: index % 9) }
    try Data("this is not a video".utf8).write(to: archive.appendingPathComponent(Self.broken))
    let lines = Self.clips + [Self.broken]
    let manifest = work.appendingPathComponent("clips.txt"), reversed = work.appendingPathComponent("reversed.txt")
    try Data(lines.map { "archive/" + $0 }.joined(separator: "\n").utf8).write(to: manifest)
    try Data(lines.reversed().map { "archive/" + $0 }.joined(separator: "\n").utf8).write(to: reversed)
    let common = ["--output-root", output.path, "--shard-count", "3", "--detect-every", "3"]

    // Then each unit has exactly one shard, whatever the order of the manifest
    var owners: [Int: Set<String>] = [:]
    for shard in 0..<3 {
      let listed = try units(try batch(["--manifest", manifest.path, "--dry-run", "--shard-index", "\(shard)", "--shard-count", "3"]))
      let again = try units(try batch(["--manifest", reversed.path, "--dry-run", "--shard-index", "\(shard)", "--shard-count", "3"]))
      #expect(listed == again, "shard \(shard) changed with the order of the manifest")
      owners[shard] = listed
    }
    let allUnits = owners.values.reduce(Set<String>()) { $0.union($1) }
    #expect(allUnits.count == 11 && owners.values.map(\.count).reduce(0, +) == 11)

    // When the shard with most units is killed after its first finished unit
    let victim = try #require(owners.max { $0.value.count < $1.value.count }?.key)
    let process = Process()
    process.executableURL = Fixtures.cliBinary
    process.arguments = ["batch", "--manifest", manifest.path, "--shard-index", "\(victim)", "--progress", "json"] + common
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    var printed = ""
    while !printed.contains(#""outcome":"done""#) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      printed += String(decoding: chunk, as: UTF8.self)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal || process.terminationStatus == 0)

    // And the other shards run to the end
    var reports: [ShardReport] = []
    var statuses: [Int: Int32] = [:]
    for shard in 0..<3 where shard != victim {
      let path = work.appendingPathComponent("shard-\(shard).json")
      let result = try batch(["--manifest", manifest.path, "--shard-index", "\(shard)", "--report", path.path, "--quiet"] + common)
      statuses[shard] = result.status
      reports.append(try report(path))
    }

    // Then the victim's finished units are those with a sidecar; rerun, it redoes none of them
    let finishedBefore = owners[victim, default: []].filter { unit in
      lines.filter { Self.unit(of: $0) == unit }.allSatisfy {
        FileManager.default.fileExists(atPath: output.appendingPathComponent($0 + ".anon.json").path)
      }
    }
    #expect(!finishedBefore.isEmpty)
    let sidecarsBefore = try lines.filter { finishedBefore.contains(Self.unit(of: $0)) }
      .map { try identity(output.appendingPathComponent($0 + ".anon.json")) }
    let rerunPath = work.appendingPathComponent("shard-\(victim)-rerun.json")
    let rerun = try batch(["--manifest", reversed.path, "--shard-index", "\(victim)", "--report", rerunPath.path, "--quiet"] + common)
    statuses[victim] = rerun.status
    let rerunReport = try report(rerunPath)
    reports.append(rerunReport)
    #expect(Set(rerunReport.skipped) == finishedBefore)
    #expect(Set(rerunReport.done).isDisjoint(with: finishedBefore))
    #expect(try lines.filter { finishedBefore.contains(Self.unit(of: $0)) }
      .map { try identity(output.appendingPathComponent($0 + ".anon.json")) } == sidecarsBefore)

    // And the union of outputs is exactly the manifest's clips, each with its sidecar
    let written = try FileManager.default.subpathsOfDirectory(atPath: output.path)
      .filter { $0.hasSuffix(".mp4") && !($0 as NSString).lastPathComponent.hasPrefix(".") }
    #expect(Set(written) == Set(Self.clips))
    for clip in Self.clips {
      let sidecar = try Sidecar.decode(Data(contentsOf: output.appendingPathComponent(clip + ".anon.json")))
      #expect(sidecar.counts.frames == 6 && sidecar.input.name.hasSuffix(clip))
    }

    // And the unreadable item is reported by its shard (exit 2, bad input), the others exit 0
    let brokenShard = try #require(owners.first { $0.value.contains(Self.unit(of: Self.broken)) }?.key)
    let failures = reports.flatMap(\.failed)
    #expect(failures.count == 1 && failures.first?.input.hasSuffix(Self.broken) == true && failures.first?.status == 2)
    #expect(statuses == Dictionary(uniqueKeysWithValues: (0..<3).map { ($0, $0 == brokenShard ? 2 : 0) }))

    // And merged, the reports show every unit done once
    let merged = try Subprocess.run(Fixtures.cliBinary.path, ["batch-report"] + (0..<3).map {
      work.appendingPathComponent($0 == victim ? "shard-\($0)-rerun.json" : "shard-\($0).json").path
    })
    let summary = try JSONSerialization.jsonObject(with: merged.standardOutput) as? [String: Any]
    #expect(merged.status == 2, "\(merged.standardError)")
    #expect(summary?["done_twice"] as? [String] == [])
    #expect(summary?["shards_missing"] as? [Int] == [])
    #expect((summary?["done"] as? Int ?? 0) + (summary?["skipped"] as? Int ?? 0) == 10)

    // And a second pass over a finished shard anonymizes nothing
    let againPath = work.appendingPathComponent("again.json")
    let finishedShard = try #require((0..<3).first { $0 != brokenShard })
    #expect(try batch(["--manifest", manifest.path, "--shard-index", "\(finishedShard)", "--report", againPath.path, "--quiet"]
      + common).status == 0)
    let again = try report(againPath)
    #expect(again.done.isEmpty && Set(again.skipped) == owners[finishedShard])
  }

  @Test func anItemOfARegionWithoutARootIsAPolicyFailure() throws {
    let work = try Fixtures.scratchDirectory("batch-policy")
    defer { try? FileManager.default.removeItem(at: work) }
    let clip = work.appendingPathComponent("in/a.mp4")
    try Self.makeClip(clip, seed: 1)
    let manifest = work.appendingPathComponent("m.jsonl")
    try Data(#"{"input": "in/a.mp4", "region": "us"}"#.utf8).write(to: manifest)
    let output = work.appendingPathComponent("eu-out")
    let result = try batch(["--manifest", manifest.path, "--output-root", output.path, "--region", "eu", "--quiet"])
    #expect(result.status == 3, "\(result.standardError)")
    #expect(result.standardError.contains("no output root for region us"))
    #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("a.mp4").path))
  }
}
