import Foundation
import Yams

extension StoreConfiguration {
  /// Reads a store configuration file (format: README, "Regional storage"). Relative outbox paths
  /// are relative to the file's directory. Errors are one line naming the file, the line and the
  /// key, never a value.
  public static func load(file path: String,
                          environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> StoreConfiguration {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw StoreError(.configuration, "\(path): cannot read store configuration")
    }
    do {
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
      return try parse(yaml: text, environment: environment, baseDirectory: directory)
    } catch {
      throw StoreError(error.kind, store: error.store, "\(path): \(error.reason)")
    }
  }

  /// Parses store configuration YAML (see `load(file:environment:)`).
  public static func parse(yaml text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                           baseDirectory: URL? = nil) throws(StoreError) -> StoreConfiguration {
    try parse(try ConfigMap(compose(yaml: text), path: "config"), environment: environment, baseDirectory: baseDirectory)
  }

  /// The root node of a configuration file; a syntax error names its line, never the text.
  package static func compose(yaml text: String) throws(StoreError) -> Node {
    let root: Node?
    do { root = try Yams.compose(yaml: text) } catch {
      var line = ""
      if let error = error as? YamlError {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): line = "line \(mark.line): "
        default: break
        }
      }
      throw StoreError(.configuration, "\(line)not valid YAML")
    }
    guard let root else { throw StoreError(.configuration, "empty configuration") }
    return root
  }

  /// The region and stores of a configuration whose top level may also hold `otherKeys` (the
  /// service keeps its own sections in the same file).
  package static func parse(_ top: ConfigMap, otherKeys: Set<String> = [], environment: [String: String],
                            baseDirectory: URL?) throws(StoreError) -> StoreConfiguration {
    try top.allow(otherKeys.union(["version", "region", "stores", "allow_inline_credentials"]))
    if let version = try top.int("version"), version != 1 {
      throw top.error("version", "unsupported version (1)")
    }
    let region: Region
    do { region = try Region(validating: try top.requiredString("region")) } catch {
      throw StoreError(.configuration, "line \(top.line("region")): config.region: \(error.reason)")
    }
    let allowInline = try top.bool("allow_inline_credentials") ?? false
    var stores: [Store] = []
    for (index, node) in (try top.list("stores") ?? []).enumerated() {
      let map = try ConfigMap(node, path: "stores[\(index)]")
      stores.append(try store(map, vehicleRegion: region, allowInline: allowInline, environment: environment,
                              baseDirectory: baseDirectory))
    }
    guard !stores.isEmpty else { throw StoreError(.configuration, "line \(top.line): config.stores: no stores configured") }
    return try StoreConfiguration(region: region, stores: stores)
  }

  private static func store(_ map: ConfigMap, vehicleRegion: Region, allowInline: Bool, environment: [String: String],
                            baseDirectory: URL?) throws(StoreError) -> Store {
    try map.allow(["name", "region", "local", "s3"])
    let name = try map.requiredString("name")
    let region: Region
    do { region = try Region(validating: try map.requiredString("region")) } catch {
      throw StoreError(.configuration, store: name, "line \(map.line("region")): \(map.path).region: \(error.reason)")
    }
    // The routing rule comes before anything else about the store: a cross-region store is a
    // policy violation even if its credentials are also missing.
    guard region == vehicleRegion else {
      throw StoreError(.policy, store: name, "line \(map.line("region")): lives in region \(region) but this vehicle's data is \(vehicleRegion): cross-region route refused")
    }
    do throws(StoreError) {
      switch (try map.map("local"), try map.map("s3")) {
      case (let local?, nil):
        return Store(name: name, region: region, backend: .local(try localSettings(local, baseDirectory: baseDirectory)))
      case (nil, let s3?):
        return Store(name: name, region: region,
                     backend: .s3(try s3Settings(s3, allowInline: allowInline, environment: environment)))
      default:
        throw StoreError(.configuration, "line \(map.line): \(map.path): give exactly one of 'local' or 's3'")
      }
    } catch {
      throw error.inStore(name)
    }
  }

  private static func localSettings(_ map: ConfigMap, baseDirectory: URL?) throws(StoreError) -> LocalStore.Settings {
    try map.allow(["path", "prefix"])
    let path = try map.requiredString("path")
    let directory = path.hasPrefix("/") || baseDirectory == nil
      ? URL(fileURLWithPath: path, isDirectory: true)
      : URL(fileURLWithPath: path, isDirectory: true, relativeTo: baseDirectory).standardizedFileURL
    return LocalStore.Settings(directory: directory, prefix: try prefix(map))
  }

  private static func prefix(_ map: ConfigMap) throws(StoreError) -> String {
    var prefix = try map.string("prefix") ?? ""
    while prefix.hasPrefix("/") { prefix.removeFirst() }
    if prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
      throw map.error("prefix", "must not contain '.' or '..' segments")
    }
    // A prefix names a folder: `vehicle-7` puts keys under `vehicle-7/`, never `vehicle-7clip.mp4`.
    if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
    return prefix
  }

  private static func s3Settings(_ map: ConfigMap, allowInline: Bool,
                                 environment: [String: String]) throws(StoreError) -> S3Store.Settings {
    try map.allow(["endpoint", "bucket", "prefix", "signing_region", "addressing", "credentials", "part_size_mib",
                   "request_timeout_s", "max_attempts", "verify_etag"])
    let endpointText = try map.requiredString("endpoint")
    guard let endpoint = URL(string: endpointText), let scheme = endpoint.scheme, ["http", "https"].contains(scheme),
          let host = endpoint.host, !host.isEmpty else {
      throw map.error("endpoint", "expected http(s)://host[:port]")
    }
    guard endpoint.user == nil, endpoint.password == nil else {
      throw map.error("endpoint", "must not carry user info; give credentials under 'credentials'")
    }
    guard endpoint.path.isEmpty || endpoint.path == "/", endpoint.query == nil else {
      throw map.error("endpoint", "must not have a path or query; the bucket goes under 'bucket'")
    }
    let addressingText = try map.string("addressing") ?? S3Store.Settings.Addressing.virtualHost.rawValue
    guard let addressing = S3Store.Settings.Addressing(rawValue: addressingText) else {
      throw map.error("addressing", "expected path or virtual-host")
    }
    let partMiB = try map.double("part_size_mib") ?? Double(S3Store.Settings.defaultPartSize >> 20)
    let partSize = Int(partMiB * 1_048_576)
    guard partSize >= S3Store.Settings.minimumPartSize, partSize <= 5 << 30 else {
      throw map.error("part_size_mib", "must be between 5 and 5120 (S3's limits)")
    }
    let timeout = try map.double("request_timeout_s") ?? 120
    guard timeout > 0 else { throw map.error("request_timeout_s", "must be positive") }
    let attempts = try map.int("max_attempts") ?? 6
    guard (1...20).contains(attempts) else { throw map.error("max_attempts", "must be between 1 and 20") }
    guard let credentialsMap = try map.map("credentials") else {
      throw StoreError(.configuration, "line \(map.line): \(map.path): 'credentials' is missing")
    }
    return S3Store.Settings(
      endpoint: URL(string: "\(scheme)://\(host)\(endpoint.port.map { ":\($0)" } ?? "")")!,  // Built from a parsed URL's parts.
      bucket: try map.requiredString("bucket"), prefix: try prefix(map),
      signingRegion: try map.requiredString("signing_region"), addressing: addressing,
      credentials: try credentials(credentialsMap, allowInline: allowInline, environment: environment),
      partSize: partSize, requestTimeout: .milliseconds(Int64(timeout * 1000)),
      retry: RetryPolicy(maxAttempts: attempts), verifyETag: try map.bool("verify_etag") ?? true)
  }

  private static func credentials(_ map: ConfigMap, allowInline: Bool,
                                  environment: [String: String]) throws(StoreError) -> S3Credentials {
    try map.allow(["env", "file", "profile", "inline"])
    let given = ["env", "file", "inline"].filter(map.has)
    guard given.count == 1 else {
      throw StoreError(.configuration, "line \(map.line): \(map.path): give exactly one of env, file or inline")
    }
    if let env = try map.map("env") {
      try env.allow(["access_key_id", "secret_access_key", "session_token"])
      return try S3Credentials.fromEnvironment(
        accessKeyVariable: try env.requiredString("access_key_id"), secretVariable: try env.requiredString("secret_access_key"),
        sessionTokenVariable: try env.string("session_token"), environment: environment)
    }
    if let file = try map.string("file") {
      return try S3Credentials.fromFile(file, profile: try map.string("profile") ?? "default")
    }
    guard allowInline else {
      throw StoreError(.configuration, "line \(map.line("inline")): \(map.path).inline: credentials in the configuration file are refused; use env or file (or set allow_inline_credentials: true)")
    }
    guard let inline = try map.map("inline") else { throw map.error("inline", "expected a mapping") }
    try inline.allow(["access_key_id", "secret_access_key", "session_token"])
    return S3Credentials(accessKeyID: try inline.requiredString("access_key_id"),
                         secretAccessKey: try inline.requiredString("secret_access_key"),
                         sessionToken: try inline.string("session_token"), source: "inline")
  }
}
