import BlindspotTestSupport
import Foundation
import Testing

@testable import BlindspotStore

@Suite(.timeLimit(.minutes(1))) struct StoreConfigurationTests {
  let environment = ["BLINDSPOT_EU_ACCESS_KEY_ID": "AKIAEXAMPLEEU0000001", "BLINDSPOT_EU_SECRET_ACCESS_KEY": "eu-secret-do-not-print"]

  /// The README's example ("Regional storage"), kept identical.
  static let fullExample = """
    version: 1
    region: eu                      # the vehicle's legal region: everything it records is eu data
    stores:
      - name: outbox                # the local outbox, emptied when the car is on Wi-Fi
        region: eu
        local:
          path: /var/spool/blindspot/outbox
          prefix: anon/
      - name: eu-archive
        region: eu
        s3:
          endpoint: https://s3.eu-central-1.amazonaws.com
          bucket: fleet-anon-eu
          prefix: vehicles/WF0XXXGCDX1234567/
          signing_region: eu-central-1
          addressing: virtual-host  # or path (MinIO, Ceph)
          part_size_mib: 8
          request_timeout_s: 120
          max_attempts: 6
          verify_etag: true         # false for SSE-KMS buckets, whose ETags are not MD5s
          credentials:
            env:
              access_key_id: BLINDSPOT_EU_ACCESS_KEY_ID
              secret_access_key: BLINDSPOT_EU_SECRET_ACCESS_KEY
    """

  @Test func theFullExampleParses() throws {
    // Given the README's example and its credentials in the environment; when parsed
    let configuration = try StoreConfiguration.parse(yaml: Self.fullExample, environment: environment)
    // Then both stores are there with every setting
    #expect(configuration.region == .eu)
    #expect(configuration.stores.map(\.name) == ["outbox", "eu-archive"])
    guard case .local(let local) = configuration.stores[0].backend, case .s3(let s3) = configuration.stores[1].backend else {
      Issue.record("wrong backends")
      return
    }
    #expect(local.directory.path == "/var/spool/blindspot/outbox")
    #expect(local.prefix == "anon/")
    #expect(s3.endpoint.absoluteString == "https://s3.eu-central-1.amazonaws.com")
    #expect(s3.bucket == "fleet-anon-eu" && s3.signingRegion == "eu-central-1" && s3.addressing == .virtualHost)
    #expect(s3.partSize == 8 << 20 && s3.retry.maxAttempts == 6 && s3.verifyETag)
    #expect(s3.credentials.accessKeyID == "AKIAEXAMPLEEU0000001")
    #expect(s3.credentials.source == "env:BLINDSPOT_EU_ACCESS_KEY_ID")
    #expect(!"\(s3.credentials)".contains("eu-secret"))
  }

  @Test func aPrefixNamesAFolder() throws {
    // Given a prefix written without its trailing slash; when parsed
    let configuration = try StoreConfiguration.parse(yaml: """
      region: eu
      stores: [{name: outbox, region: eu, local: {path: /tmp/out, prefix: vehicle-7}}]
      """)
    // Then keys go under the folder, not glued to its name
    guard case .local(let local) = configuration.stores[0].backend else { Issue.record("wrong backend"); return }
    #expect(local.prefix == "vehicle-7/")
  }

  @Test func theREADMEExampleIsTheTestedOne() throws {
    // Given the YAML block under "Regional storage" in the README
    let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "## Regional storage"))
    let rest = readme[section.upperBound...]
    let open = try #require(rest.range(of: "```yaml\n"))
    let close = try #require(rest[open.upperBound...].range(of: "```"))
    // Then it is the example parsed above
    #expect(String(rest[open.upperBound..<close.lowerBound]) == Self.fullExample + "\n")
  }

  @Test func aStoreOfAnotherRegionIsAPolicyError() {
    // Given a vehicle in cn whose config names a us store
    let yaml = """
      region: cn
      stores:
        - {name: cn-outbox, region: cn, local: {path: /tmp/cn}}
        - {name: us-archive, region: us, local: {path: /tmp/us}}
      """
    // Then loading fails with a policy error (exit 3) naming the store and both regions
    expectError(yaml, kind: .policy, exitCode: 3, contains: ["us-archive", "lives in region us", "cn", "cross-region"])
  }

  @Test func crossRegionWinsOverMissingCredentials() {
    let yaml = """
      region: eu
      stores:
        - name: us-archive
          region: us
          s3: {endpoint: "https://s3.amazonaws.com", bucket: b, signing_region: us-east-1, credentials: {env: {access_key_id: NOPE, secret_access_key: NOPE2}}}
      """
    expectError(yaml, kind: .policy, exitCode: 3, contains: ["cross-region"])
  }

  @Test func unknownRegionsAreOneLineErrors() {
    expectError("region: mars\nstores: []\n", kind: .configuration, exitCode: 1, contains: ["line 1", "unknown region 'mars'"])
    expectError("region: eu\nstores:\n  - {name: a, region: europe, local: {path: /tmp}}\n", kind: .configuration, exitCode: 1,
                contains: ["unknown region 'europe'"])
  }

  @Test func missingCredentialsAreOneLineErrors() {
    // Given an S3 store whose environment variables are not set
    let yaml = Self.fullExample
    // Then the error names the variable, not a value
    expectError(yaml, environment: [:], kind: .configuration, exitCode: 1,
                contains: ["eu-archive", "BLINDSPOT_EU_ACCESS_KEY_ID is not set"])
    expectError(yaml, environment: ["BLINDSPOT_EU_ACCESS_KEY_ID": "AKIA"], kind: .configuration, exitCode: 1,
                contains: ["BLINDSPOT_EU_SECRET_ACCESS_KEY is not set"])
  }

  @Test func inlineCredentialsAreRefusedUnlessAllowed() throws {
    let store = """
      stores:
        - name: lab
          region: eu
          s3:
            endpoint: http://127.0.0.1:9000
            bucket: lab
            signing_region: us-east-1
            addressing: path
            credentials: {inline: {access_key_id: AKIALAB, secret_access_key: lab-secret}}
      """
    expectError("region: eu\n" + store, kind: .configuration, exitCode: 1, contains: ["refused", "allow_inline_credentials"])
    let allowed = try StoreConfiguration.parse(yaml: "region: eu\nallow_inline_credentials: true\n" + store)
    guard case .s3(let s3) = allowed.stores[0].backend else { Issue.record("not s3"); return }
    #expect(s3.credentials.source == "inline" && s3.addressing == .path)
    #expect(!"\(s3.credentials)".contains("lab-secret"))
  }

  @Test func credentialsFromAFile() throws {
    // Given an AWS shared-credentials file with two profiles
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.url.appendingPathComponent("credentials")
    try Data("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s1\n\n[eu]\naws_access_key_id=AKIAEU\naws_secret_access_key=s2\n".utf8)
      .write(to: file)
    let yaml = """
      region: eu
      stores:
        - name: a
          region: eu
          s3: {endpoint: "https://x.example", bucket: b, signing_region: eu-west-1, credentials: {file: \(file.path), profile: eu}}
      """
    // When parsed, then the named profile is used
    let configuration = try StoreConfiguration.parse(yaml: yaml)
    guard case .s3(let s3) = configuration.stores[0].backend else { Issue.record("not s3"); return }
    #expect(s3.credentials.accessKeyID == "AKIAEU" && s3.credentials.secretAccessKey == "s2")
    // And a missing profile is a one-line error
    expectError(yaml.replacingOccurrences(of: "profile: eu", with: "profile: cn"), kind: .configuration, exitCode: 1,
                contains: ["no aws_access_key_id", "[cn]"])
  }

  @Test func malformedConfigurationsAreOneLineErrorsWithLines() {
    expectError("region: eu\nstores: [\n", kind: .configuration, exitCode: 1, contains: ["not valid YAML"])
    expectError("region: eu\nstorez: []\n", kind: .configuration, exitCode: 1, contains: ["line 2", "unknown key 'storez'"])
    expectError("region: eu\nstores: []\n", kind: .configuration, exitCode: 1, contains: ["no stores"])
    expectError("region: eu\nstores:\n  - {name: a, region: eu}\n", kind: .configuration, exitCode: 1, contains: ["exactly one of 'local' or 's3'"])
    expectError("region: eu\nstores:\n  - {name: a, region: eu, local: {path: /a}}\n  - {name: a, region: eu, local: {path: /b}}\n",
                kind: .configuration, exitCode: 1, contains: ["two stores are named 'a'"])
    let s3 = "region: eu\nstores:\n  - name: a\n    region: eu\n    s3: {endpoint: \"%@\", bucket: b, signing_region: r, part_size_mib: %@, credentials: {env: {access_key_id: K, secret_access_key: S}}}\n"
    let env = ["K": "k", "S": "s"]
    expectError(String(format: s3, "https://user:pw@host", "8"), environment: env, kind: .configuration, exitCode: 1, contains: ["user info"])
    expectError(String(format: s3, "ftp://host", "8"), environment: env, kind: .configuration, exitCode: 1, contains: ["http(s)://host"])
    expectError(String(format: s3, "https://host/bucket", "8"), environment: env, kind: .configuration, exitCode: 1, contains: ["path"])
    expectError(String(format: s3, "https://host", "1"), environment: env, kind: .configuration, exitCode: 1, contains: ["part_size_mib"])
  }

  @Test func loadNamesTheFileAndResolvesRelativeOutboxes() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.url.appendingPathComponent("stores.yaml")
    try Data("region: us\nstores:\n  - {name: outbox, region: us, local: {path: outbox}}\n".utf8).write(to: file)
    let configuration = try StoreConfiguration.load(file: file.path)
    guard case .local(let local) = configuration.stores[0].backend else { Issue.record("not local"); return }
    #expect(local.directory.path == directory.url.appendingPathComponent("outbox").standardizedFileURL.path)
    #expect {
      try StoreConfiguration.load(file: directory.url.appendingPathComponent("missing.yaml").path)
    } throws: { "\($0)".contains("missing.yaml: cannot read") }
  }

  private func expectError(_ yaml: String, environment: [String: String]? = nil, kind: StoreError.Kind, exitCode: Int32,
                           contains parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      _ = try StoreConfiguration.parse(yaml: yaml, environment: environment ?? self.environment)
      Issue.record("parsed without error", sourceLocation: sourceLocation)
    } catch {
      #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
      #expect(error.exitCode == exitCode, sourceLocation: sourceLocation)
      for part in parts { #expect(error.description.contains(part), "\(error) lacks \(part)", sourceLocation: sourceLocation) }
      #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
      for secret in ["eu-secret-do-not-print", "lab-secret"] {
        #expect(!error.description.contains(secret), sourceLocation: sourceLocation)
      }
    }
  }
}
