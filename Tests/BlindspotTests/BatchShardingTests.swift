import Foundation
import Testing

@testable import Blindspot

/// Units and shards: which worker does what, whatever the order of the work list.
@Suite struct BatchShardingTests {
  func items(_ names: [String]) -> [BatchItem] {
    names.map { BatchItem(source: .file(URL(fileURLWithPath: "/a/" + $0)), name: $0, outputKey: $0) }
  }

  @Test func teslaCamMinutesAndEventFoldersAreOneUnit() {
    let units = BatchUnit.group(items([
      "TeslaCam/RecentClips/2024-05-01_10-00-00-front.mp4",
      "TeslaCam/RecentClips/2024-05-01_10-01-00-front.mp4",
      "TeslaCam/RecentClips/2024-05-01_10-00-00-left_repeater.mp4",
      "TeslaCam/SavedClips/2024-05-02_09-00-00/2024-05-02_08-58-00-front.mp4",
      "TeslaCam/SavedClips/2024-05-02_09-00-00/2024-05-02_08-59-00-back.mp4",
      "dashcam/trip.mp4",
    ]))
    #expect(units.map(\.id) == [
      "TeslaCam/RecentClips/2024-05-01_10-00-00-*",
      "TeslaCam/RecentClips/2024-05-01_10-01-00-*",
      "TeslaCam/SavedClips/2024-05-02_09-00-00/",
      "dashcam/trip.mp4",
    ])
    #expect(units.map(\.items.count) == [2, 1, 2, 1])
  }

  @Test func theHashIsSHA256sFirstEightBytesModCount() {
    // `printf dashcam/trip.mp4 | sha256sum` starts 5f05e0e6e5905975: the contract with any other
    // tool that wants to know which shard holds a unit.
    let value: UInt64 = 0x5f05_e0e6_e590_5975
    for count in [1, 3, 7, 64] {
      #expect(ShardAssignment.shard(of: "dashcam/trip.mp4", count: count) == Int(value % UInt64(count)))
    }
    #expect(ShardAssignment.shard(of: "dashcam/trip.mp4", count: 64) == 53)
  }

  @Test func reorderingTheWorkListMovesNoUnit() throws {
    let names = (0..<200).map { "clips/\($0).mp4" } + (0..<20).map { "TeslaCam/RecentClips/2024-05-01_10-\(String(format: "%02d", $0))-00-front.mp4" }
    var generator = SystemRandomNumberGenerator()
    let shuffled = names.shuffled(using: &generator)
    var seen: [String: Int] = [:]
    for index in 0..<3 {
      let shard = try ShardAssignment(index: index, count: 3)
      let first = Set(BatchUnit.group(items(names)).filter(shard.owns).map(\.id))
      let second = Set(BatchUnit.group(items(shuffled)).filter(shard.owns).map(\.id))
      #expect(first == second)
      for id in first { seen[id, default: 0] += 1 }
    }
    // Every unit has exactly one shard, and the shards are not badly unbalanced.
    #expect(seen.count == 220 && seen.values.allSatisfy { $0 == 1 })
  }

  @Test(arguments: [
    (["JOB_COMPLETION_INDEX": "5"], 5, 8, "kubernetes"),
    (["AWS_BATCH_JOB_ARRAY_INDEX": "2", "AWS_BATCH_JOB_ARRAY_SIZE": "4"], 2, 4, "aws-batch"),
    (["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"], 2, 4, "slurm"),
    (["CLOUD_RUN_TASK_INDEX": "0", "CLOUD_RUN_TASK_COUNT": "10"], 0, 10, "cloud-run"),
  ])
  func enginesVariablesGiveTheDefaults(environment: [String: String], index: Int, count: Int, source: String) throws {
    let given = source == "kubernetes" ? 8 : nil
    let shard = try ShardAssignment.resolve(index: nil, count: given, environment: environment)
    #expect(shard.index == index && shard.count == count && shard.source == source)
  }

  @Test func flagsWinAndMistakesAreUsageErrors() throws {
    #expect(try ShardAssignment.resolve(index: 1, count: 2, environment: ["CLOUD_RUN_TASK_INDEX": "0", "CLOUD_RUN_TASK_COUNT": "9"])
      == ShardAssignment(index: 1, count: 2))
    #expect(try ShardAssignment.resolve(index: nil, count: nil, environment: [:]) == ShardAssignment(index: 0, count: 1, source: "default"))
    for (index, count, environment) in [(nil, nil, ["JOB_COMPLETION_INDEX": "1"]), (3, 3, [:]), (1, nil, [:]), (nil, 4, [:]),
                                        (nil, nil, ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "2"])] as [(Int?, Int?, [String: String])] {
      #expect { try ShardAssignment.resolve(index: index, count: count, environment: environment) } throws: {
        ($0 as? BlindspotError)?.status == .usage
      }
    }
  }
}
