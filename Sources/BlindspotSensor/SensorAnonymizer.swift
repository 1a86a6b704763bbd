import Foundation

/// Applies a `SensorPolicy` to a stream of samples, trip by trip.
///
/// ```
///  reader ─► split into trips (time gaps) ─► per trip: zones ─► truncation ─► coarsening
///                                                       ─► allow-list + pseudonyms ─► writer
/// ```
///
/// Memory holds one trip at a time (at most `policy.maxTripSamples`): a trip's start can only be
/// cut once its end is known. Not thread-safe; one anonymizer per input.
public final class SensorAnonymizer {
  public let policy: SensorPolicy
  public private(set) var report = SensorReport()
  private var trip: [SensorSample] = []
  private var tripsWritten = 0
  private let emit: (SensorSample, Int) throws -> Void

  /// An anonymizer that hands each output sample, with its output trip number, to `emit`.
  public init(policy: SensorPolicy, emit: @escaping (SensorSample, Int) throws -> Void) {
    self.policy = policy
    self.emit = emit
  }

  /// Reads all of `reader`, writes the result to `writer` (and finishes it), and returns the report.
  public static func run(policy: SensorPolicy, reader: any SensorReader, writer: any SensorWriter) throws -> SensorReport {
    let anonymizer = SensorAnonymizer(policy: policy) { sample, trip in try writer.write(sample, trip: trip) }
    try reader.forEach { sample, _ in try anonymizer.add(sample) }
    try anonymizer.finish()
    try writer.finish()
    var report = anonymizer.report
    report.skippedLines = reader.skippedCount
    report.firstSkippedLine = reader.skipped.first?.line
    return report
  }

  /// Anonymizes an in-memory list (tests, small inputs).
  public static func apply(_ policy: SensorPolicy, to samples: [SensorSample]) throws -> (samples: [SensorSample], report: SensorReport) {
    var out: [SensorSample] = []
    let anonymizer = SensorAnonymizer(policy: policy) { sample, _ in out.append(sample) }
    for sample in samples { try anonymizer.add(sample) }
    try anonymizer.finish()
    return (out, anonymizer.report)
  }

  /// Adds the next sample in time order.
  public func add(_ sample: SensorSample) throws {
    report.samplesIn += 1
    if let last = trip.last {
      let gap = sample.timestamp.timeIntervalSince(last.timestamp)
      if gap > policy.tripGap || gap < 0 || trip.count >= policy.maxTripSamples { try flushTrip() }
    }
    trip.append(sample)
  }

  /// Processes the last trip. Call once after the last `add`.
  public func finish() throws { try flushTrip() }

  private func flushTrip() throws {
    guard !trip.isEmpty else { return }
    let samples = trip
    trip.removeAll(keepingCapacity: true)
    report.tripsIn += 1
    var removal = [SensorReport.Rule?](repeating: nil, count: samples.count)
    // Identifies the trip for keyed draws: its first timestamp, to the millisecond.
    let tripID = String(Int64((samples[0].timestamp.timeIntervalSince1970 * 1000).rounded()))
    applyZones(samples, tripID: tripID, removal: &removal)
    applyTruncation(samples, removal: &removal)
    followNeighbours(samples, removal: &removal)
    let shift = timeShift(tripID: tripID)
    var wrote = false
    for (index, sample) in samples.enumerated() {
      if let rule = removal[index] {
        report.count(rule)
        continue
      }
      let out = transform(sample, shift: shift)
      if let c = out.coordinate { report.include(c) }
      report.samplesOut += 1
      try emit(out, tripsWritten)
      wrote = true
    }
    if wrote {
      tripsWritten += 1
      report.tripsOut += 1
    }
  }

  /// Samples without a position take the fate of their positioned neighbours: kept only between
  /// two kept positioned samples, so that IMU data cannot reveal the cut-off ends.
  private func followNeighbours(_ samples: [SensorSample], removal: inout [SensorReport.Rule?]) {
    guard samples.contains(where: { $0.coordinate != nil }) else { return }
    var previous: Int?
    var nextPositioned = [Int?](repeating: nil, count: samples.count)
    var next: Int?
    for index in samples.indices.reversed() {
      nextPositioned[index] = next
      if samples[index].coordinate != nil { next = index }
    }
    for index in samples.indices {
      if samples[index].coordinate != nil { previous = index; continue }
      guard removal[index] == nil else { continue }
      let before = previous.map { removal[$0] }, after = nextPositioned[index].map { removal[$0] }
      switch (before, after) {
      case (.some(nil), .some(nil)): break
      case (.some(let rule?), _), (_, .some(let rule?)): removal[index] = rule
      default: removal[index] = .truncation
      }
    }
  }
}
