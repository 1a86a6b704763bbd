import BlindspotFiles
import Foundation
import Testing

@testable import BlindspotStore

@Suite(.timeLimit(.minutes(1))) struct LocalStoreTests {
  let work: TemporaryDirectory
  let outbox: URL
  let store: LocalStore

  init() throws {
    work = try TemporaryDirectory()
    outbox = work.url.appendingPathComponent("outbox")
    store = LocalStore(name: "outbox", region: .eu, settings: .init(directory: outbox, prefix: "anon/"))
  }

  @Test func writesTheArtifactAndItsSidecarUnderThePrefix() async throws {
    defer { work.remove() }
    // Given an artifact with a nested key
    let content = Artifacts.bytes(300_000, seed: 1)
    let artifact = try Artifacts.make(in: work.url, content: content, key: "2024-05-01/front.mp4")
    // When stored
    let receipt = try await store.put(artifact)
    // Then both files are in the outbox, byte for byte, and no temporary file is left
    #expect(receipt.outcome == .stored && receipt.size == 300_000)
    #expect(receipt.key == "anon/2024-05-01/front.mp4" && receipt.sidecarKey == "anon/2024-05-01/front.anon.json")
    #expect(try Data(contentsOf: outbox.appendingPathComponent("anon/2024-05-01/front.mp4")) == content)
    #expect(try Data(contentsOf: outbox.appendingPathComponent("anon/2024-05-01/front.anon.json"))
      == Data(contentsOf: artifact.sidecar))
    let names = try FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("anon/2024-05-01").path)
    #expect(names.sorted() == ["front.anon.json", "front.mp4"])
  }

  @Test func partialFilesOfAKilledWriterAreRemovedByTheNextWrite() async throws {
    defer { work.remove() }
    // Given the partial files a writer left when it was killed mid-write, and one a live writer is filling
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    let directory = outbox.appendingPathComponent("anon")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let host = PartialFile.host
    let abandoned = [".front.mp4.partial-\(dead.processIdentifier)-\(host)-A", ".front.anon.json.partial-\(dead.processIdentifier)-\(host)-B"]
    let live = ".front.mp4.partial-\(getppid())-\(host)-C"
    for name in abandoned + [live] { try Data("half".utf8).write(to: directory.appendingPathComponent(name)) }
    // When the same artifact is stored, then stored again (the retry after a crash that came
    // after the object was in place: the early "already present" path must clean up too)
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(5_000, seed: 9))
    try FileManager.default.createDirectory(at: outbox.appendingPathComponent("anon"), withIntermediateDirectories: true)
    try Data(contentsOf: artifact.file).write(to: outbox.appendingPathComponent("anon/front.mp4"))
    try Data(contentsOf: artifact.sidecar).write(to: outbox.appendingPathComponent("anon/front.anon.json"))
    #expect(try await store.put(artifact).outcome == .alreadyPresent)
    // Then only the live writer's partial file is left beside the objects
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(names.sorted() == [live, "front.anon.json", "front.mp4"].sorted())
  }

  @Test func storingTheSameArtifactAgainIsANoOp() async throws {
    defer { work.remove() }
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(10_000, seed: 2))
    _ = try await store.put(artifact)
    let stored = outbox.appendingPathComponent("anon/front.mp4")
    let before = try FileManager.default.attributesOfItem(atPath: stored.path)[.modificationDate] as? Date
    // When stored a second time
    let receipt = try await store.put(artifact)
    // Then nothing was written
    #expect(receipt.outcome == .alreadyPresent)
    #expect(try FileManager.default.attributesOfItem(atPath: stored.path)[.modificationDate] as? Date == before)
  }

  @Test func differentContentUnderTheSameKeyIsAConflictAndKeepsTheOld() async throws {
    defer { work.remove() }
    let first = try Artifacts.make(in: work.url, content: Artifacts.bytes(10_000, seed: 3))
    _ = try await store.put(first)
    let otherDirectory = work.url.appendingPathComponent("other")
    try FileManager.default.createDirectory(at: otherDirectory, withIntermediateDirectories: true)
    let second = try Artifacts.make(in: otherDirectory, content: Artifacts.bytes(10_000, seed: 4))
    // When another artifact with the same key is stored
    await #expect {
      try await store.put(second)
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .conflict && error.exitCode == 2 && error.description.contains("anon/front.mp4")
    }
    // Then the first one is still there
    #expect(try Data(contentsOf: outbox.appendingPathComponent("anon/front.mp4")) == Data(contentsOf: first.file))
  }

  @Test func anArtifactOfAnotherRegionIsRefusedAndNothingIsWritten() async throws {
    defer { work.remove() }
    let artifact = try Artifacts.make(in: work.url, content: Data("x".utf8), region: .cn)
    await #expect {
      try await store.put(artifact)
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .policy && error.exitCode == 3 && error.description.contains("cn data")
    }
    #expect(!FileManager.default.fileExists(atPath: outbox.appendingPathComponent("anon/front.mp4").path))
  }

  @Test func aFileChangedAfterSealingIsNotStored() async throws {
    defer { work.remove() }
    // Given an artifact whose file was modified after the pipeline computed its sha256
    let artifact = try Artifacts.make(in: work.url, content: Artifacts.bytes(5_000, seed: 5))
    try Data("tampered".utf8).write(to: artifact.file)
    // When stored, then it is refused and the outbox holds neither the object nor a temporary
    await #expect(throws: StoreError.self) { try await store.put(artifact) }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: outbox.appendingPathComponent("anon").path)) ?? []
    #expect(names.isEmpty)
  }

  @Test func anEmptyFileIsStored() async throws {
    defer { work.remove() }
    let artifact = try Artifacts.make(in: work.url, content: Data())
    #expect(try await store.put(artifact).size == 0)
  }
}
