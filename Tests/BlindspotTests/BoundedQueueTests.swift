@testable import Blindspot
import Dispatch
import Foundation
import Testing

/// A non-copyable item that counts how many of its kind are alive, like a decoded frame.
private struct Token: ~Copyable, Sendable {
  let value: Int
  let alive: AliveCounter
  init(_ value: Int, _ alive: AliveCounter) {
    self.value = value
    self.alive = alive
    alive.add(1)
  }
  deinit { alive.add(-1) }
}

private final class AliveCounter: @unchecked Sendable {
  // Safe: `count` is only touched with `lock` held.
  private let lock = NSLock()
  private var count = 0
  func add(_ delta: Int) { lock.withLock { count += delta } }
  var value: Int { lock.withLock { count } }
}

private struct Injected: Error, Equatable { let stage: String }

/// The value of the next token, nil at the end.
private func popValue(_ queue: BoundedQueue<Token>) throws -> Int? {
  guard let token = try queue.pop() else { return nil }
  return token.value
}

@Suite(.timeLimit(.minutes(1))) struct BoundedQueueTests {
  @Test func itemsArriveInOrderAndNeverMoreThanTheCapacityWait() throws {
    let alive = AliveCounter()
    let queue = BoundedQueue<Token>(capacity: 3)
    let producer = StageThread(name: "producer") {
      for value in 0..<200 { try? queue.push(Token(value, alive)) }
      queue.finish()
    }
    var received: [Int] = []
    while let value = try popValue(queue) { received.append(value) }
    producer.join()
    #expect(received == Array(0..<200))
    #expect(queue.peakCount <= 3)
    #expect(alive.value == 0)
  }

  @Test func aFullQueueHoldsTheProducerUntilTheConsumerTakesOne() throws {
    let alive = AliveCounter()
    let queue = BoundedQueue<Token>(capacity: 2)
    let twoPushed = DispatchSemaphore(value: 0), thirdPushed = DispatchSemaphore(value: 0)
    let flag = AliveCounter()
    let producer = StageThread(name: "producer") {
      try? queue.push(Token(0, alive))
      try? queue.push(Token(1, alive))
      twoPushed.signal()
      try? queue.push(Token(2, alive))  // blocks: the queue is full
      flag.add(1)
      thirdPushed.signal()
      queue.finish()
    }
    twoPushed.wait()
    #expect(flag.value == 0, "the third push cannot complete before a pop")
    #expect(try popValue(queue) == 0)
    thirdPushed.wait()
    #expect(flag.value == 1)
    #expect(try popValue(queue) == 1)
    #expect(try popValue(queue) == 2)
    #expect(try popValue(queue) == nil)
    producer.join()
  }

  @Test func finishLetsTheConsumerDrainThenSeeTheEnd() throws {
    let alive = AliveCounter()
    let queue = BoundedQueue<Token>(capacity: 4)
    try queue.push(Token(7, alive))
    try queue.push(Token(8, alive))
    queue.finish()
    #expect(try popValue(queue) == 7)
    #expect(try popValue(queue) == 8)
    #expect(try popValue(queue) == nil)
    #expect(try popValue(queue) == nil)
  }

  @Test func cancelWakesABlockedProducerAndABlockedConsumerAndFreesWhatWasQueued() throws {
    let alive = AliveCounter()
    let full = BoundedQueue<Token>(capacity: 1), empty = BoundedQueue<Token>(capacity: 1)
    try full.push(Token(0, alive))
    let outcomes = AliveCounter()
    let producer = StageThread(name: "producer") {
      do { try full.push(Token(1, alive)) } catch { outcomes.add(1) }  // blocked on a full queue
    }
    let consumer = StageThread(name: "consumer") {
      do { _ = try empty.pop() } catch { outcomes.add(1) }  // blocked on an empty queue
    }
    full.cancel()
    empty.cancel()
    producer.join()
    consumer.join()
    #expect(outcomes.value == 2, "both sides threw PipelineCancelled")
    #expect(alive.value == 0, "the queued token and the rejected one were freed")
    #expect(throws: PipelineCancelled.self) { _ = try popValue(full) }
  }

  @Test func theFirstErrorWinsAndEveryStageStops() {
    let control = PipelineControl()
    let alive = AliveCounter()
    let first = BoundedQueue<Token>(capacity: 2), second = BoundedQueue<Token>(capacity: 2)
    control.watch(first)
    control.watch(second)
    // A producer that would run forever, a middle stage that fails on its fifth item, and a
    // consumer that waits for items that never come.
    let threads = [
      StageThread(name: "source") {
        control.runStage {
          var value = 0
          while true { try first.push(Token(value, alive)); value += 1 }
        }
      },
      StageThread(name: "middle") {
        control.runStage {
          var seen = 0
          while let token = try first.pop() {
            seen += 1
            if seen == 5 { throw Injected(stage: "middle") }
            try second.push(token)
          }
        }
      },
      StageThread(name: "sink") {
        control.runStage {
          while let token = try second.pop() { _ = consume token }
          throw Injected(stage: "sink: reached the end, which it never should")
        }
      },
    ]
    for thread in threads { thread.join() }
    #expect(control.firstError as? Injected == Injected(stage: "middle"))
    #expect(alive.value == 0)
  }
}
