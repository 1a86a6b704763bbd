import Foundation

extension S3Store.Settings {
  /// Settings for `bucket` from the standard AWS environment variables, for tools that run where
  /// the engine provides them (a batch job's role, a CI secret) rather than a store configuration:
  ///
  /// - endpoint: `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` (MinIO, Ceph, moto; path-style
  ///   addressing), else AWS's `https://s3.<signing region>.amazonaws.com` (virtual-host style);
  /// - signing region: `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`;
  /// - credentials: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, when set, `AWS_SESSION_TOKEN`.
  public static func fromEnvironment(bucket: String, prefix: String = "",
                                     environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(StoreError) -> S3Store.Settings
  {
    let signingRegion = [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
      ?? "us-east-1"
    let custom = [environment["AWS_ENDPOINT_URL_S3"], environment["AWS_ENDPOINT_URL"]].compactMap { $0 }.first { !$0.isEmpty }
    let endpoint: URL
    if let custom {
      guard let url = URL(string: custom), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
        throw StoreError(.configuration, "AWS_ENDPOINT_URL: expected http(s)://host[:port]")
      }
      endpoint = url
    } else {
      guard let url = URL(string: "https://s3.\(signingRegion).amazonaws.com") else {
        throw StoreError(.configuration, "AWS_REGION: not a usable region name")
      }
      endpoint = url
    }
    let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : "AWS_SESSION_TOKEN" }
    let credentials = try S3Credentials.fromEnvironment(
      accessKeyVariable: "AWS_ACCESS_KEY_ID", secretVariable: "AWS_SECRET_ACCESS_KEY", sessionTokenVariable: token,
      environment: environment)
    return S3Store.Settings(endpoint: endpoint, bucket: bucket, prefix: prefix, signingRegion: signingRegion,
                            addressing: custom == nil ? .virtualHost : .path, credentials: credentials)
  }
}
