import BlindspotFiles
import BlindspotSensor
import BlindspotStore
import Foundation

/// Sensor files that travel beside a clip: `clip.nmea`, `clip.gpx`, `clip.csv`, `clip.jsonl` with
/// the clip's own name, and a TeslaCam event folder's `event.json` (whose `est_lat`/`est_lon` say
/// where the event happened).
///
/// With a sensor policy each is anonymized next to the output (`OUTSTEM.gpx`, `event.json`);
/// without one nothing is copied and the sidecar lists what was left behind (fail closed).
enum StageCompanionFiles {
  /// Anonymizes (or, without a policy, lists as dropped) the companions of `input`.
  static func run(input: URL, output: URL, policy: SensorPolicy?) throws -> [Sidecar.Companion] {
    let directory = input.deletingLastPathComponent()
    let stem = input.deletingPathExtension().lastPathComponent
    let outputStem = output.deletingPathExtension().lastPathComponent
    var companions: [Sidecar.Companion] = []
    for format in [SensorFormat.nmea, .gpx, .csv, .jsonl] {
      let source = directory.appendingPathComponent("\(stem).\(format.rawValue)")
      guard FileManager.default.fileExists(atPath: source.path) else { continue }
      guard let policy else {
        companions.append(.init(input: source.lastPathComponent, output: nil, samplesIn: nil, samplesOut: nil))
        continue
      }
      let target = output.deletingLastPathComponent().appendingPathComponent("\(outputStem).\(format.rawValue)")
      let report = try SensorFile.anonymize(input: source, inputFormat: format, output: target, outputFormat: format, policy: policy)
      companions.append(.init(input: source.lastPathComponent, output: target.lastPathComponent,
                              samplesIn: report.samplesIn, samplesOut: report.samplesOut, report: report,
                              sha256: try FileDigest.of(target).sha256))
    }
    let event = directory.appendingPathComponent("event.json")
    if FileManager.default.fileExists(atPath: event.path) {
      if let policy {
        var target = output.deletingLastPathComponent().appendingPathComponent("event.json")
        if target.standardizedFileURL.path == event.standardizedFileURL.path {
          target = target.deletingLastPathComponent().appendingPathComponent("event.anon.json")
        }
        let kept = try anonymizeEvent(event, to: target, policy: policy)
        companions.append(.init(input: "event.json", output: target.lastPathComponent, samplesIn: 1, samplesOut: kept ? 1 : 0,
                                sha256: try FileDigest.of(target).sha256))
      } else {
        companions.append(.init(input: "event.json", output: nil, samplesIn: nil, samplesOut: nil))
      }
    }
    return companions
  }

  /// Rewrites a Tesla `event.json`: the estimated position goes through the policy as a one-sample
  /// trip (the default trip-end truncation removes it; coarsening applies if truncation is off),
  /// `city` is dropped, every other field is kept. Returns whether a position was kept.
  static func anonymizeEvent(_ url: URL, to target: URL, policy: SensorPolicy) throws -> Bool {
    guard let data = FileManager.default.contents(atPath: url.path),
          var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { throw BlindspotError(.badInput, subject: url.path, reason: "not a JSON object") }
    func number(_ key: String) -> Double? {
      if let value = object[key] as? Double { return value }
      return (object[key] as? String).flatMap(Double.init)
    }
    let position = number("est_lat").flatMap { lat in number("est_lon").map { Coordinate(latitude: lat, longitude: $0) } }
    object["est_lat"] = nil
    object["est_lon"] = nil
    object["city"] = nil
    var kept = false
    if let position {
      let sample = SensorSample(timestamp: Date(timeIntervalSince1970: 0), coordinate: position)
      if let result = try SensorAnonymizer.apply(policy, to: [sample]).samples.first?.coordinate {
        object["est_lat"] = String(result.latitude)
        object["est_lon"] = String(result.longitude)
        kept = true
      }
    }
    let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    try AtomicFile.write(bytes, to: target)
    return kept
  }
}
