import Foundation
import Yams

extension SensorPolicy {
  /// Reads a policy file (see the README's "Sensor data" section for the format). Unknown keys are
  /// errors, so a misspelt rule cannot silently switch itself off. `region` (else the file's
  /// `region`) picks the key from `keys`. Errors name the file and line, never a value.
  public static func load(file path: String, region: String? = nil,
                          environment: [String: String] = ProcessInfo.processInfo.environment) throws(SensorError) -> SensorPolicy {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw SensorError(.configuration, file: path, "cannot read policy file")
    }
    do {
      return try parse(yaml: text, region: region, environment: environment)
    } catch {
      throw error.inFile(path)
    }
  }

  /// Parses policy YAML (see `load(file:region:environment:)`).
  public static func parse(yaml text: String, region: String? = nil,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws(SensorError) -> SensorPolicy {
    let root: Node?
    do { root = try Yams.compose(yaml: text) } catch {
      // Yams' own description quotes the YAML around the problem: keep only its line.
      var line: Int?
      if let error = error as? YamlError {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): line = mark.line
        default: break
        }
      }
      throw SensorError(.configuration, line: line, "not valid YAML")
    }
    var policy = SensorPolicy()
    guard let root else { try policy.validate(); return policy }
    let top = try YAMLMap(root, path: "policy")
    try top.allow(["version", "region", "keys", "trips", "privacy_zones", "truncate", "coarsen", "pseudonymize", "output"])
    if let version = try top.int("version"), version != 1 {
      throw SensorError(.configuration, line: top.line("version"), "unsupported policy version (1)")
    }
    if let trips = try top.map("trips") {
      try trips.allow(["max_gap_s", "max_samples"])
      policy.tripGap = try trips.double("max_gap_s") ?? policy.tripGap
      policy.maxTripSamples = try trips.int("max_samples") ?? policy.maxTripSamples
    }
    if let zones = try top.map("privacy_zones") {
      try zones.allow(["exit_margin_m", "zones"])
      if let margin = try zones.map("exit_margin_m") {
        try margin.allow(["min", "max"])
        let low = try margin.double("min") ?? policy.zoneExitMargin.lowerBound
        let high = try margin.double("max") ?? policy.zoneExitMargin.upperBound
        guard low <= high else { throw SensorError(.configuration, line: margin.line, "exit_margin_m: min is above max") }
        policy.zoneExitMargin = low...high
      }
      for item in try zones.list("zones") ?? [] {
        policy.zones.append(try zone(item))
      }
    }
    if let truncate = try top.map("truncate") {
      try truncate.allow(["enabled", "metres", "seconds"])
      let metres = try truncate.double("metres"), seconds = try truncate.double("seconds")
      if metres != nil && seconds != nil {
        throw SensorError(.configuration, line: truncate.line, "truncate: give metres or seconds, not both")
      }
      if try truncate.bool("enabled") == false {
        policy.truncation = nil
      } else if let metres {
        policy.truncation = .metres(metres)
      } else if let seconds {
        policy.truncation = .seconds(seconds)
      }
    }
    if let coarsen = try top.map("coarsen") {
      try coarsen.allow(["grid_m", "geohash", "time_round_s", "time_shift_max_s", "speed_step_mps", "heading_step_deg",
                         "altitude_step_m"])
      let grid = try coarsen.double("grid_m"), geohash = try coarsen.int("geohash")
      if grid != nil && geohash != nil { throw SensorError(.configuration, line: coarsen.line, "coarsen: grid_m or geohash, not both") }
      if let grid { policy.spatial = .grid(metres: grid) }
      if let geohash { policy.spatial = .geohash(precision: geohash) }
      policy.timeRounding = try coarsen.double("time_round_s") ?? policy.timeRounding
      policy.timeShiftMax = try coarsen.double("time_shift_max_s") ?? policy.timeShiftMax
      policy.speedStep = try coarsen.double("speed_step_mps") ?? policy.speedStep
      policy.headingStep = try coarsen.double("heading_step_deg") ?? policy.headingStep
      policy.altitudeStep = try coarsen.double("altitude_step_m") ?? policy.altitudeStep
    }
    if let names = try top.strings("pseudonymize") { policy.pseudonymized = Set(names) }
    if let output = try top.map("output") {
      try output.allow(["fields", "extras"])
      if let fields = try output.strings("fields") {
        policy.fields = []
        for name in fields {
          guard let field = OutputField(rawValue: name) else {
            let known = OutputField.allCases.map(\.rawValue).joined(separator: ", ")
            throw SensorError(.configuration, line: output.line("fields"), "unknown output field '\(name)' (\(known))")
          }
          policy.fields.insert(field)
        }
      }
      if let extras = try output.strings("extras") { policy.extras = Set(extras) }
    }
    var regionName = region
    if regionName == nil { regionName = try top.string("region") }
    if let keys = try top.map("keys"), let regionName {
      guard let entry = try keys.map(regionName) else {
        if policy.needsKey { throw SensorError(.configuration, line: keys.line, "no key for region '\(regionName)'") }
        try policy.validate()
        return policy
      }
      try entry.allow(["env", "file"])
      if let name = try entry.string("env") {
        policy.key = try SensorKey.fromEnvironment(name, environment: environment)
      } else if let file = try entry.string("file") {
        policy.key = try SensorKey.fromFile(file)
      } else {
        throw SensorError(.configuration, line: entry.line, "a key needs env or file")
      }
    }
    do { try policy.validate() } catch { throw error }
    return policy
  }

  private static func zone(_ node: Node) throws(SensorError) -> PrivacyZone {
    let map = try YAMLMap(node, path: "zone")
    try map.allow(["name", "circle", "polygon"])
    let name = try map.string("name") ?? "zone"
    if let circle = try map.map("circle") {
      try circle.allow(["lat", "lon", "radius_m"])
      guard let lat = try circle.double("lat"), let lon = try circle.double("lon"), let radius = try circle.double("radius_m") else {
        throw SensorError(.configuration, line: circle.line, "zone '\(name)': a circle needs lat, lon and radius_m")
      }
      return PrivacyZone(name: name, shape: .circle(centre: Coordinate(latitude: lat, longitude: lon), radius: radius))
    }
    if let points = try map.list("polygon") {
      var vertices: [Coordinate] = []
      for point in points {
        guard let pair = point.sequence, pair.count == 2, let lat = pair[0].float, let lon = pair[1].float else {
          throw SensorError(.configuration, line: point.mark?.line, "zone '\(name)': polygon points are [lat, lon]")
        }
        vertices.append(Coordinate(latitude: lat, longitude: lon))
      }
      return PrivacyZone(name: name, shape: .polygon(vertices))
    }
    throw SensorError(.configuration, line: map.line, "zone '\(name)' needs a circle or a polygon")
  }
}

/// A YAML mapping with typed, line-numbered accessors.
struct YAMLMap {
  let node: Node
  let mapping: Node.Mapping
  let path: String
  var line: Int? { node.mark?.line }

  init(_ node: Node, path: String) throws(SensorError) {
    guard let mapping = node.mapping else { throw SensorError(.configuration, line: node.mark?.line, "\(path) must be a mapping") }
    self.node = node
    self.mapping = mapping
    self.path = path
  }

  func allow(_ keys: Set<String>) throws(SensorError) {
    for (key, _) in mapping {
      guard let name = key.string, keys.contains(name) else {
        throw SensorError(.configuration, line: key.mark?.line,
                          "unknown key '\(key.string ?? "?")' in \(path) (\(keys.sorted().joined(separator: ", ")))")
      }
    }
  }

  func value(_ key: String) -> Node? { mapping[key] }
  func line(_ key: String) -> Int? { mapping[key]?.mark?.line ?? line }

  func double(_ key: String) throws(SensorError) -> Double? {
    guard let node = value(key) else { return nil }
    guard let value = node.float, value.isFinite else { throw SensorError(.configuration, line: node.mark?.line, "\(key) must be a number") }
    return value
  }

  func int(_ key: String) throws(SensorError) -> Int? {
    guard let node = value(key) else { return nil }
    guard let value = node.int else { throw SensorError(.configuration, line: node.mark?.line, "\(key) must be an integer") }
    return value
  }

  func bool(_ key: String) throws(SensorError) -> Bool? {
    guard let node = value(key) else { return nil }
    guard let value = node.bool else { throw SensorError(.configuration, line: node.mark?.line, "\(key) must be true or false") }
    return value
  }

  func string(_ key: String) throws(SensorError) -> String? {
    guard let node = value(key) else { return nil }
    guard node.scalar != nil, let value = node.string else {
      throw SensorError(.configuration, line: node.mark?.line, "\(key) must be a string")
    }
    return value
  }

  func map(_ key: String) throws(SensorError) -> YAMLMap? {
    guard let node = value(key) else { return nil }
    return try YAMLMap(node, path: key)
  }

  func list(_ key: String) throws(SensorError) -> [Node]? {
    guard let node = value(key) else { return nil }
    guard let sequence = node.sequence else { throw SensorError(.configuration, line: node.mark?.line, "\(key) must be a list") }
    return Array(sequence)
  }

  func strings(_ key: String) throws(SensorError) -> [String]? {
    guard let nodes = try list(key) else { return nil }
    return try nodes.map { node throws(SensorError) in
      guard node.scalar != nil, let text = node.string else {
        throw SensorError(.configuration, line: node.mark?.line, "\(key) must be a list of names")
      }
      return text
    }
  }
}
