import BlindspotVision
import Foundation

/// What `blindspot eval` found, as a table for people and JSON for scripts and the CI gate.
public struct EvaluationReport: Codable, Sendable {
  public struct ClassReport: Codable, Sendable {
    public struct BucketReport: Codable, Sendable {
      public var objectFrames: Int
      public var leaked: Int
      public var leakRate: Double
      public var recall: Double
    }

    public var buckets: [String: BucketReport]
    /// The buckets at or above the class's target size together (faces ≥ 24 px, plates ≥ 40 px).
    public var target: BucketReport
    public var all: BucketReport
    public var precision: Double
    public var boxes: Int
    public var longestLeakedRun: Int
  }

  /// An object that leaked: which item and object, where it comes from, how many frames leaked.
  public struct LeakedObject: Codable, Sendable, Equatable {
    public var item: String
    public var id: String
    public var objectClass: ObjectClass
    public var source: String?
    /// Its frames at or above the class's target size: leaked, and counted.
    public var targetLeaked: Int
    public var targetFrames: Int
    public var leaked: Int
    public var objectFrames: Int
  }

  /// How many objects `mostLeaked` names at most.
  static let mostLeakedCount = 10

  public var items: Int
  public var frames: Int
  public var classes: [ObjectClass: ClassReport]
  /// The objects that leaked most frames at their class's target size, then at any size: where
  /// to look first when a leak rate rises.
  public var mostLeaked: [LeakedObject]
  public var areaOutsideTruth: Double
  public var seconds: Double
  /// The options the pipeline ran with; nil when another tool's outputs were measured.
  public var parameters: AnonymizeOptions?

  init(items: Int, frames: Int, metrics: EvaluationMetrics, seconds: Double, options: AnonymizeOptions?) {
    self.items = items
    self.frames = frames
    self.seconds = (seconds * 10).rounded() / 10
    self.parameters = options
    areaOutsideTruth = Self.round(metrics.meanAreaOutsideTruth)
    // Most leaks at target size first, then most leaks; ties in item and id order.
    mostLeaked = metrics.objects.values.filter { $0.all.leaked > 0 }
      .sorted { ($0.target.leaked, $0.all.leaked, $1.item, $1.id) > ($1.target.leaked, $1.all.leaked, $0.item, $0.id) }
      .prefix(Self.mostLeakedCount)
      .map { LeakedObject(item: $0.item, id: $0.id, objectClass: $0.objectClass, source: $0.source, targetLeaked: $0.target.leaked,
                          targetFrames: $0.target.objectFrames, leaked: $0.all.leaked, objectFrames: $0.all.objectFrames) }
    classes = metrics.classes.mapValues { summary in
      func report(_ bucket: EvaluationMetrics.Bucket) -> ClassReport.BucketReport {
        .init(objectFrames: bucket.objectFrames, leaked: bucket.leaked, leakRate: Self.round(bucket.leakRate),
              recall: Self.round(bucket.recall))
      }
      return ClassReport(buckets: summary.buckets.mapValues(report), target: report(EvaluationMetrics.Bucket()),
                         all: report(EvaluationMetrics.Bucket()), precision: Self.round(summary.precision), boxes: summary.boxes,
                         longestLeakedRun: summary.longestLeakedRun)
    }
    for (objectClass, summary) in metrics.classes {
      var target = EvaluationMetrics.Bucket(), all = EvaluationMetrics.Bucket()
      let wanted = EvaluationMetrics.targetBuckets(of: objectClass)
      for (name, bucket) in summary.buckets {
        all.add(bucket)
        if wanted.contains(name) { target.add(bucket) }
      }
      classes[objectClass]?.target = .init(objectFrames: target.objectFrames, leaked: target.leaked,
                                           leakRate: Self.round(target.leakRate), recall: Self.round(target.recall))
      classes[objectClass]?.all = .init(objectFrames: all.objectFrames, leaked: all.leaked,
                                        leakRate: Self.round(all.leakRate), recall: Self.round(all.recall))
    }
  }

  private static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

  public func encoded() throws -> Data {
    try ReportJSON.encoder().encode(self)
  }

  /// The human-readable table.
  public var table: String {
    var lines = ["\(items) item(s), \(frames) frame(s), \(String(format: "%.1f", seconds)) s",
                 "class  size      object-frames  leaked  leak rate  recall"]
    let order: [ObjectClass: [String]] = [.face: ["<24", "24-48", "48-96", ">=96"], .plate: ["<30", "30-40", "40-80", ">=80"]]
    for objectClass in classes.keys.sorted() {
      guard let report = classes[objectClass] else { continue }
      func row(_ name: String, _ bucket: ClassReport.BucketReport) -> String {
        "\(objectClass.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) "
          + String(format: "%13d  %6d  %8.2f%%  %5.1f%%", bucket.objectFrames, bucket.leaked, bucket.leakRate * 100, bucket.recall * 100)
      }
      for name in order[objectClass] ?? [] { if let bucket = report.buckets[name] { lines.append(row(name, bucket)) } }
      lines.append(row(objectClass == .face ? ">=24" : ">=40", report.target))
      lines.append(row("all", report.all))
      // Another tool's outputs are measured by pixels: there are no boxes to count.
      let precision = parameters == nil ? "" : "precision \(String(format: "%.1f%%", report.precision * 100)) of \(report.boxes) boxes, "
      lines.append("       \(precision)longest leaked run \(report.longestLeakedRun) frame(s)")
    }
    if parameters != nil {
      lines.append(String(format: "redacted area outside the truth: %.2f%% of the frame", areaOutsideTruth * 100))
    }
    if !mostLeaked.isEmpty {
      lines.append("most leaked (object: leaked/counted frames at target size, at any size)")
      for object in mostLeaked {
        let from = object.source.map { " (\($0))" } ?? ""
        lines.append("  \(object.item) \(object.id)\(from): \(object.targetLeaked)/\(object.targetFrames), \(object.leaked)/\(object.objectFrames)")
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// The CI's regression gate: the worst leak rates the committed pipeline may show on the small set.
///
/// `eval/gate.json`: `{"face": {"max_target_leak_rate": 0.01, "max_longest_leaked_run": 1},
/// "plate": {...}, "max_area_outside_truth": 0.05}`. Every key is optional.
public struct EvaluationGate: Codable, Sendable {
  public struct ClassLimits: Codable, Sendable {
    public var maxTargetLeakRate: Double?
    public var maxLeakRate: Double?
    public var maxLongestLeakedRun: Int?
    public var minPrecision: Double?
  }

  public var face: ClassLimits?
  public var plate: ClassLimits?
  public var maxAreaOutsideTruth: Double?

  public static func load(_ url: URL) throws -> EvaluationGate {
    do {
      return try ReportJSON.decoder().decode(EvaluationGate.self, from: Data(contentsOf: url))
    } catch {
      throw BlindspotError(.usage, subject: url.path, reason: "not a valid gate file (\(error))")
    }
  }

  /// Every limit the report breaks, as one line each; empty when it passes.
  public func violations(of report: EvaluationReport) -> [String] {
    var found: [String] = []
    for (objectClass, limits) in [(ObjectClass.face, face), (.plate, plate)] {
      guard let limits else { continue }
      guard let measured = report.classes[objectClass] else {
        found.append("\(objectClass.rawValue): no \(objectClass.rawValue) in the dataset to measure")
        continue
      }
      if let limit = limits.maxTargetLeakRate, measured.target.leakRate > limit {
        found.append("\(objectClass.rawValue): target-size leak rate \(measured.target.leakRate) > \(limit)")
      }
      if let limit = limits.maxLeakRate, measured.all.leakRate > limit {
        found.append("\(objectClass.rawValue): leak rate \(measured.all.leakRate) > \(limit)")
      }
      if let limit = limits.maxLongestLeakedRun, measured.longestLeakedRun > limit {
        found.append("\(objectClass.rawValue): longest leaked run \(measured.longestLeakedRun) > \(limit)")
      }
      if let limit = limits.minPrecision, measured.precision < limit {
        found.append("\(objectClass.rawValue): precision \(measured.precision) < \(limit)")
      }
    }
    if let limit = maxAreaOutsideTruth, report.areaOutsideTruth > limit {
      found.append("redacted area outside the truth \(report.areaOutsideTruth) > \(limit)")
    }
    return found
  }
}
