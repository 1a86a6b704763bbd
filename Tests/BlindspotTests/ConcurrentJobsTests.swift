import Blindspot
import BlindspotTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct ConcurrentJobsTests {
  let scratch: URL

  init() throws { scratch = try Fixtures.scratchDirectory("jobs") }

  @Test func resultsComeBackInInputOrderAndNoMoreRunAtOnceThanTheLimit() {
    let running = Gauge()
    let results = ConcurrentJobs(limit: 3).map(20) { index -> Int in
      running.enter()
      defer { running.leave() }
      return index * index
    }
    #expect(results == (0..<20).map { $0 * $0 })
    #expect(running.peak <= 3)
  }

  @Test func severalInputsAtOnceGiveTheSameOutputsAsOneAfterTheOther() throws {
    let inputs = scratch.appendingPathComponent("in")
    for (name, frames) in [("front", 18), ("back", 12), ("left_repeater", 24)] {
      let directory = inputs.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      _ = try Clips.faceAndPlate(in: directory, frames: frames)
    }
    func outputs(jobs: Int) throws -> [String: Data] {
      let output = scratch.appendingPathComponent("out-\(jobs)")
      let result = try blindspot([inputs.path, "-o", output.path, "--jobs", "\(jobs)", "--quiet"])
      #expect(result.status == 0, "\(result.standardError)")
      var videos: [String: Data] = [:]
      for file in filesUnder(output) where file.hasSuffix(".mp4") {
        videos[file] = try Data(contentsOf: output.appendingPathComponent(file))
      }
      return videos
    }
    let serial = try outputs(jobs: 1), concurrent = try outputs(jobs: 3)
    #expect(serial.count == 3)
    #expect(concurrent == serial, "the same bytes, input by input")
  }
}

/// Counts how many callers are inside at once. Thread-safe.
private final class Gauge: @unchecked Sendable {
  // Safe: `now` and `peak` are only touched with `lock` held.
  private let lock = NSLock()
  private var now = 0
  private var highest = 0
  func enter() { lock.withLock { now += 1; highest = max(highest, now) } }
  func leave() { lock.withLock { now -= 1 } }
  var peak: Int { lock.withLock { highest } }
}
