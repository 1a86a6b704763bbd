/// A first-in, first-out queue of non-copyable values (decoded frames with their bookkeeping).
///
/// `Array` cannot hold non-copyable elements yet, so this keeps them in a manually managed
/// ring of slots. Capacity is fixed: the look-ahead window is bounded by construction.
struct FrameQueue<Element: ~Copyable>: ~Copyable {
  private let slots: UnsafeMutablePointer<Element>
  let capacity: Int
  private var head = 0
  private(set) var count = 0

  init(capacity: Int) {
    precondition(capacity > 0, "a frame queue needs room for one frame")
    self.capacity = capacity
    slots = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
  }

  deinit {
    // Elements still queued (a run that failed part-way) are destroyed here, freeing their frames.
    for offset in 0..<count { (slots + (head + offset) % capacity).deinitialize(count: 1) }
    slots.deallocate()
  }

  var isEmpty: Bool { count == 0 }
  var isFull: Bool { count == capacity }

  mutating func append(_ element: consuming Element) {
    precondition(!isFull, "frame queue overflow: the caller must drain before appending")
    (slots + (head + count) % capacity).initialize(to: element)
    count += 1
  }

  mutating func removeFirst() -> Element {
    precondition(!isEmpty, "removeFirst on an empty frame queue")
    let element = (slots + head).move()
    head = (head + 1) % capacity
    count -= 1
    return element
  }

  /// Calls `body` with the element `offset` places from the front, in place.
  mutating func withElement<R>(at offset: Int, _ body: (inout Element) throws -> R) rethrows -> R {
    precondition(offset >= 0 && offset < count, "frame queue index out of range")
    return try body(&(slots + (head + offset) % capacity).pointee)
  }
}
