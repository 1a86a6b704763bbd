extension SensorAnonymizer {
  /// Removes each trip's first and last `policy.truncation` (metres along the trace, or seconds)
  /// of what the zones left. A trip shorter than twice that disappears. A trip without positions
  /// cannot be measured in metres and is removed whole under metre truncation.
  func applyTruncation(_ samples: [SensorSample], removal: inout [SensorReport.Rule?]) {
    guard let truncation = policy.truncation else { return }
    let kept = samples.indices.filter { removal[$0] == nil }
    let keptPositioned = kept.filter { samples[$0].coordinate != nil }
    switch truncation {
    case .metres(let limit):
      guard limit > 0 else { return }
      guard !keptPositioned.isEmpty else {
        for index in kept { removal[index] = .truncation }
        return
      }
      for order in [keptPositioned, keptPositioned.reversed()] {
        var travelled = 0.0
        var previous = order[0]
        for index in order {
          travelled += Geodesy.distance(samples[previous].coordinate!, samples[index].coordinate!)  // Safe: positioned only.
          previous = index
          if travelled >= limit { break }
          removal[index] = removal[index] ?? .truncation
        }
      }
    case .seconds(let limit):
      guard limit > 0 else { return }
      let basis = keptPositioned.isEmpty ? kept : keptPositioned
      guard let first = basis.first, let last = basis.last else { return }
      let start = samples[first].timestamp, end = samples[last].timestamp
      for index in basis where samples[index].timestamp.timeIntervalSince(start) < limit
        || end.timeIntervalSince(samples[index].timestamp) < limit {
        removal[index] = removal[index] ?? .truncation
      }
    }
  }
}
