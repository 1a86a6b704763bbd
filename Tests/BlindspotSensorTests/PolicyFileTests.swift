import BlindspotSensor
import BlindspotTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct PolicyFileTests {
  let environment = ["BLINDSPOT_SENSOR_KEY_EU": "eu-key-0123456789abcdef"]

  static let fullExample = """
    version: 1
    region: eu
    keys:
      eu: {env: BLINDSPOT_SENSOR_KEY_EU}
      us: {file: /etc/blindspot/keys/us.key}
    trips:
      max_gap_s: 600
    privacy_zones:
      exit_margin_m: {min: 150, max: 500}
      zones:
        - name: home
          circle: {lat: 48.137154, lon: 11.576124, radius_m: 300}
        - name: office
          polygon: [[48.15, 11.55], [48.15, 11.56], [48.16, 11.56], [48.16, 11.55]]
    truncate:
      metres: 250
    coarsen:
      geohash: 8
      time_round_s: 5
      time_shift_max_s: 900
      speed_step_mps: 1
      heading_step_deg: 10
      altitude_step_m: 10
    pseudonymize: [vin, serial]
    output:
      fields: [position, speed, heading, acceleration]
      extras: [vin]
    """

  @Test func theFullExampleParses() throws {
    // Given the README's example; when parsed
    let p = try SensorPolicy.parse(yaml: Self.fullExample, environment: environment)
    // Then every setting is there
    #expect(p.tripGap == 600)
    #expect(p.zoneExitMargin == 150...500)
    #expect(p.zones.count == 2)
    #expect(p.zones[0] == PrivacyZone(name: "home", shape: .circle(centre: Coordinate(latitude: 48.137154, longitude: 11.576124), radius: 300)))
    #expect(p.truncation == .metres(250))
    #expect(p.spatial == .geohash(precision: 8))
    #expect(p.timeRounding == 5 && p.timeShiftMax == 900)
    #expect(p.speedStep == 1 && p.headingStep == 10 && p.altitudeStep == 10)
    #expect(p.pseudonymized == ["vin", "serial"])
    #expect(p.fields == [.position, .speed, .heading, .acceleration])
    #expect(p.extras == ["vin"])
    #expect(p.key?.source == "env:BLINDSPOT_SENSOR_KEY_EU")
  }

  @Test func anEmptyFileIsTheDocumentedDefault() throws {
    let p = try SensorPolicy.parse(yaml: "", environment: [:])
    let d = SensorPolicy()
    #expect(p.truncation == .metres(200) && d.truncation == .metres(200))
    #expect(p.zones.isEmpty && p.spatial == .none && p.timeRounding == 1 && p.tripGap == 300)
    #expect(p.fields == [.position, .altitude, .speed, .heading] && p.extras.isEmpty)
  }

  @Test func truncationCanBeSwitchedOffOrGivenInSeconds() throws {
    #expect(try SensorPolicy.parse(yaml: "truncate: {enabled: false}", environment: [:]).truncation == nil)
    #expect(try SensorPolicy.parse(yaml: "truncate: {seconds: 30}", environment: [:]).truncation == .seconds(30))
  }

  @Test(arguments: [
    ("version: 1\ntruncate:\n  metre: 100\n", 3, "unknown key 'metre'"),
    ("privacy_zones:\n  zones:\n    - name: home\n      circle: {lat: 48.1, lon: 11.5}\n", 4, "needs lat, lon and radius_m"),
    ("coarsen:\n  grid_m: fine\n", 2, "must be a number"),
    ("output:\n  fields: [position, face]\n", 2, "unknown output field 'face'"),
    ("privacy_zones:\n  zones:\n    - name: home\n      circle: {lat: 48.1, lon: 11.5, radius_m: 50}\n", nil, "no key"),
    ("region: eu\nkeys:\n  eu: {env: MISSING}\nprivacy_zones:\n  zones: [{circle: {lat: 48.1, lon: 11.5, radius_m: 9}}]\n", nil, "MISSING is not set"),
    ("coarsen: [1, 2\n", 2, "not valid YAML"),
    ("version: 2\n", 1, "unsupported policy version"),
  ] as [(String, Int?, String)])
  func mistakesAreConfigurationErrorsWithTheirLine(yaml: String, line: Int?, reason: String) throws {
    let error = try #require(throws: SensorError.self) { _ = try SensorPolicy.parse(yaml: yaml, environment: [:]) }
    #expect(error.kind == .configuration)
    #expect(error.reason.contains(reason), "\(error)")
    if let line { #expect(error.line == line, "\(error)") }
    #expect(!error.description.contains("48.1"))
  }

  @Test func keysComeFromFilesPerRegion() throws {
    // Given a key file for region us and a policy that needs a key
    let dir = try Trace.scratch("keys")
    defer { try? FileManager.default.removeItem(at: dir) }
    let keyFile = dir.appendingPathComponent("us.key")
    try Data("us-key-material-0123456789\n".utf8).write(to: keyFile)
    let yaml = """
      region: eu
      keys:
        eu: {env: BLINDSPOT_SENSOR_KEY_EU}
        us: {file: \(keyFile.path)}
      output: {extras: [vin]}
      """
    // When loaded for region us (overriding the file's region) and for eu
    let us = try SensorPolicy.parse(yaml: yaml, region: "us", environment: environment)
    let eu = try SensorPolicy.parse(yaml: yaml, environment: environment)
    // Then each region has its own key, so pseudonyms differ across regions
    #expect(us.key?.source == "file:\(keyFile.path)")
    #expect(us.key!.pseudonym(of: "V", field: "vin") != eu.key!.pseudonym(of: "V", field: "vin"))
    #expect(us.key!.pseudonym(of: "V", field: "vin") ==
            (try SensorKey(bytes: Array("us-key-material-0123456789".utf8), source: "t")).pseudonym(of: "V", field: "vin"))
  }
}

/// The README's policy example must stay a valid policy.
@Suite(.timeLimit(.minutes(1))) struct SensorDocumentationTests {
  @Test func theREADMEPolicyExampleParses() throws {
    // Given the YAML block under "The policy file" in the README
    let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "### The policy file"))
    let rest = readme[section.upperBound...]
    let open = try #require(rest.range(of: "```yaml\n"))
    let close = try #require(rest[open.upperBound...].range(of: "```"))
    let yaml = String(rest[open.upperBound..<close.lowerBound])
    // When parsed with the key its example names
    let policy = try SensorPolicy.parse(yaml: yaml, environment: ["BLINDSPOT_SENSOR_KEY_EU": "readme-key-0123456789"])
    // Then it has the zones and rules it shows
    #expect(policy.zones.map(\.name) == ["home", "office"])
    #expect(policy.truncation == .metres(250))
    #expect(policy.spatial == .grid(metres: 100))
    #expect(policy.extras == ["vin"])
  }
}
