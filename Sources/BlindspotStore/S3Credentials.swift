import Foundation

/// An access key pair for an S3-compatible store.
///
/// Important: the secret (and the session token) never appear in `description`, in errors or in
/// logs: only where the credentials came from (`source`) and the access key id's last 4 characters.
public struct S3Credentials: Sendable, CustomStringConvertible {
  public let accessKeyID: String
  let secretAccessKey: String
  let sessionToken: String?
  /// Where the credentials came from: `env:NAME`, `file:PATH[profile]` or `inline`.
  public let source: String

  package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.source = source
  }

  public var description: String { "S3Credentials(\(source), key …\(accessKeyID.suffix(4)))" }

  /// Credentials from environment variables: the access key id in `accessKeyVariable`, the
  /// secret in `secretVariable`, and optionally a session token.
  static func fromEnvironment(accessKeyVariable: String, secretVariable: String, sessionTokenVariable: String?,
                              environment: [String: String]) throws(StoreError) -> S3Credentials {
    for name in [accessKeyVariable, secretVariable] + (sessionTokenVariable.map { [$0] } ?? []) {
      guard let value = environment[name], !value.isEmpty else {
        throw StoreError(.configuration, "credentials: environment variable \(name) is not set")
      }
    }
    return S3Credentials(accessKeyID: environment[accessKeyVariable]!, secretAccessKey: environment[secretVariable]!,
                         sessionToken: sessionTokenVariable.flatMap { environment[$0] },
                         source: "env:\(accessKeyVariable)")  // Both checked non-empty above.
  }

  /// Credentials from a file in the AWS shared-credentials format (`[profile]` sections with
  /// `aws_access_key_id`, `aws_secret_access_key` and optionally `aws_session_token`).
  static func fromFile(_ path: String, profile: String) throws(StoreError) -> S3Credentials {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw StoreError(.configuration, "credentials: cannot read file \(path)")
    }
    var section = "", values: [String: String] = [:]
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        continue
      }
      guard section == profile, let equals = line.firstIndex(of: "=") else { continue }
      let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      values[name] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    }
    guard let id = values["aws_access_key_id"], !id.isEmpty,
          let secret = values["aws_secret_access_key"], !secret.isEmpty else {
      throw StoreError(.configuration, "credentials: file \(path) has no aws_access_key_id and aws_secret_access_key in profile [\(profile)]")
    }
    return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"],
                         source: "file:\(path)[\(profile)]")
  }
}
