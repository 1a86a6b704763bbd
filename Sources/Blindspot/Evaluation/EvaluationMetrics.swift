import BlindspotVision

/// Accumulates how well redaction boxes hid the ground-truth objects of a dataset.
///
/// Definitions (all per class, and per size bucket where it applies):
/// - an object-frame is **leaked** when less than 90% of its box is covered by the union of the
///   frame's redaction boxes (any class: a box hides whatever is under it);
/// - it is **found** (recall) when at least 50% of it is covered;
/// - a redaction box is a **true positive** (precision) when it covers at least half of some
///   object's box of its own class, or that object covers at least half of it;
/// - the **longest leaked run** is the most consecutive leaked frames of one object;
/// - **area outside truth** is the share of the frame covered by redaction boxes and by no object,
///   averaged over frames.
/// Objects less than half visible (occluded or cut by the frame edge) are not counted.
public struct EvaluationMetrics: Sendable {
  public struct Bucket: Codable, Sendable, Equatable {
    public var objectFrames = 0
    public var leaked = 0
    public var found = 0
    public var leakRate: Double { objectFrames == 0 ? 0 : Double(leaked) / Double(objectFrames) }
    public var recall: Double { objectFrames == 0 ? 0 : Double(found) / Double(objectFrames) }

    mutating func add(_ other: Bucket) {
      objectFrames += other.objectFrames
      leaked += other.leaked
      found += other.found
    }
  }

  public struct ClassSummary: Codable, Sendable, Equatable {
    public var buckets: [String: Bucket] = [:]
    public var boxes = 0
    public var truePositiveBoxes = 0
    public var longestLeakedRun = 0
    public var precision: Double { boxes == 0 ? 1 : Double(truePositiveBoxes) / Double(boxes) }
  }

  /// One object's frames over a dataset, so a report can say which objects leak.
  public struct ObjectTally: Sendable, Equatable {
    public var item: String
    public var id: String
    public var objectClass: ObjectClass
    public var source: String?
    public var all = Bucket()
    /// Its frames at or above the class's target size.
    public var target = Bucket()
    /// Its current run of consecutive leaked frames, and the last frame it was counted on.
    var leakedRun = 0
    var lastFrame = Int.min
  }

  public private(set) var classes: [ObjectClass: ClassSummary] = [:]
  /// Per object, keyed by item and id (also where its leaked runs are followed).
  public private(set) var objects: [String: ObjectTally] = [:]
  public private(set) var frames = 0
  private var areaOutsideTruth = 0.0

  public init() {}

  public var meanAreaOutsideTruth: Double { frames == 0 ? 0 : areaOutsideTruth / Double(frames) }

  /// The size bucket of an object: faces by height, plates by width, in pixels.
  public static func bucket(of object: GroundTruth.Object) -> String {
    switch object.objectClass {
    case .face:
      let h = object.box.height
      return h < 24 ? "<24" : h < 48 ? "24-48" : h < 96 ? "48-96" : ">=96"
    case .plate:
      let w = object.box.width
      return w < 30 ? "<30" : w < 40 ? "30-40" : w < 80 ? "40-80" : ">=80"
    }
  }

  /// The buckets at or above a class's target size (faces ≥ 24 px tall, plates ≥ 40 px wide).
  public static func targetBuckets(of objectClass: ObjectClass) -> Set<String> {
    switch objectClass {
    case .face: ["24-48", "48-96", ">=96"]
    case .plate: ["40-80", ">=80"]
    }
  }

  /// Adds one frame: its objects and the redaction boxes placed on it (each with its class).
  /// `item` keeps object ids of different clips apart.
  public mutating func add(frame: Int, item: String, objects: [GroundTruth.Object], boxes: [(ObjectClass, Box)],
                           width: Int, height: Int) {
    frames += 1
    let all = boxes.map(\.1)
    for object in objects where object.visible >= 0.5 && !object.box.isEmpty {
      record(object, coverage: Self.coverage(of: object.box, by: all, except: object.hidden), frame: frame, item: item)
    }
    for (objectClass, box) in boxes {
      classes[objectClass, default: ClassSummary()].boxes += 1
      let hit = objects.contains { object in
        guard object.objectClass == objectClass else { return false }
        let shared = object.box.intersection(box).area
        return shared >= 0.5 * object.box.area || shared >= 0.5 * box.area
      }
      if hit { classes[objectClass, default: ClassSummary()].truePositiveBoxes += 1 }
    }
    areaOutsideTruth += Self.areaOutside(boxes: all, truth: objects.map(\.box), width: width, height: height)
  }

  /// Adds a frame measured from pixels rather than boxes (another tool's output): `hidden` says,
  /// per object, whether its detail is gone. Precision and area are not known this way.
  public mutating func add(frame: Int, item: String, pixelResults: [(object: GroundTruth.Object, hidden: Bool)]) {
    frames += 1
    for (object, hidden) in pixelResults where object.visible >= 0.5 && !object.box.isEmpty {
      record(object, coverage: hidden ? 1 : 0, frame: frame, item: item)
    }
  }

  private mutating func record(_ object: GroundTruth.Object, coverage: Double, frame: Int, item: String) {
    var bucket = Bucket(objectFrames: 1)
    if coverage < 0.9 { bucket.leaked = 1 }
    if coverage >= 0.5 { bucket.found = 1 }
    let size = Self.bucket(of: object)
    classes[object.objectClass, default: ClassSummary()].buckets[size, default: Bucket()].add(bucket)
    let key = item + "/" + object.id
    var tally = objects[key] ?? ObjectTally(item: item, id: object.id, objectClass: object.objectClass, source: object.source)
    tally.all.add(bucket)
    if Self.targetBuckets(of: object.objectClass).contains(size) { tally.target.add(bucket) }
    tally.leakedRun = coverage < 0.9 ? (tally.lastFrame == frame - 1 ? tally.leakedRun + 1 : 1) : 0
    tally.lastFrame = frame
    objects[key] = tally
    classes[object.objectClass]!.longestLeakedRun = max(classes[object.objectClass]!.longestLeakedRun, tally.leakedRun)
  }

  /// The share of `box` covered by the union of `boxes`, sampled on a grid of 24×24 points; points
  /// inside `hidden` (behind occluders: nothing there can leak) are left out. A box hidden whole
  /// counts as covered.
  static func coverage(of box: Box, by boxes: [Box], except hidden: [Box] = []) -> Double {
    let candidates = boxes.filter { $0.intersection(box).area > 0 }
    if candidates.isEmpty && hidden.isEmpty { return 0 }
    let steps = 24
    var covered = 0, counted = 0
    func inside(_ b: Box, _ x: Double, _ y: Double) -> Bool { x >= b.x && x < b.maxX && y >= b.y && y < b.maxY }
    for i in 0..<steps {
      let y = box.y + (Double(i) + 0.5) * box.height / Double(steps)
      for j in 0..<steps {
        let x = box.x + (Double(j) + 0.5) * box.width / Double(steps)
        if hidden.contains(where: { inside($0, x, y) }) { continue }
        counted += 1
        if candidates.contains(where: { inside($0, x, y) }) { covered += 1 }
      }
    }
    return counted == 0 ? 1 : Double(covered) / Double(counted)
  }

  /// The share of the frame inside some box and outside every truth box, on an 8-pixel grid.
  static func areaOutside(boxes: [Box], truth: [Box], width: Int, height: Int) -> Double {
    guard !boxes.isEmpty, width > 0, height > 0 else { return 0 }
    var inside = 0, total = 0
    for y in stride(from: 4, to: height, by: 8) {
      for x in stride(from: 4, to: width, by: 8) {
        total += 1
        let px = Double(x), py = Double(y)
        func contains(_ b: Box) -> Bool { px >= b.x && px < b.maxX && py >= b.y && py < b.maxY }
        if boxes.contains(where: contains), !truth.contains(where: contains) { inside += 1 }
      }
    }
    return total == 0 ? 0 : Double(inside) / Double(total)
  }
}
