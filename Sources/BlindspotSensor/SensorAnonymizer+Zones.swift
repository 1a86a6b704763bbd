extension SensorAnonymizer {
  /// Removes samples inside zones; where a trip starts (ends) in a zone, also removes the first
  /// (last) stretch outside it, up to a keyed distance drawn in `policy.zoneExitMargin`, so the
  /// cut points of many trips scatter around the zone instead of marking its edge.
  func applyZones(_ samples: [SensorSample], tripID: String, removal: inout [SensorReport.Rule?]) {
    guard !policy.zones.isEmpty else { return }
    let positioned = samples.indices.filter { samples[$0].coordinate != nil }
    guard let first = positioned.first, let last = positioned.last else { return }
    func zone(at index: Int) -> PrivacyZone? {
      let c = samples[index].coordinate!  // This is safe: `positioned` holds only indices with a coordinate.
      return policy.zones.first { $0.contains(c) }
    }
    let zoneOf = Dictionary(uniqueKeysWithValues: positioned.map { ($0, zone(at: $0)) })
    for index in positioned where zoneOf[index]! != nil { removal[index] = .zone }

    func cut(_ order: [Int], startZone: PrivacyZone, end: String) {
      guard let exit = order.first(where: { zoneOf[$0]! == nil }) else { return }
      let range = policy.zoneExitMargin
      let margin = range.lowerBound + (range.upperBound - range.lowerBound)
        * policy.key!.unit("zone-exit", [tripID, startZone.name, end])  // This is safe: validate() demands a key with zones.
      var travelled = 0.0
      var previous = exit
      for index in order.drop(while: { $0 != exit }) {
        travelled += Geodesy.distance(samples[previous].coordinate!, samples[index].coordinate!)
        previous = index
        if travelled >= margin { break }
        if removal[index] == nil { removal[index] = .zoneExit }
      }
    }
    if let startZone = zoneOf[first]! { cut(positioned, startZone: startZone, end: "start") }
    if let endZone = zoneOf[last]! { cut(positioned.reversed(), startZone: endZone, end: "end") }
  }
}
