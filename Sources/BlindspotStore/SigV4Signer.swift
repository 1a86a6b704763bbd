import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, with the signature in the `Authorization` header.
///
/// Written from AWS's description of the algorithm ("Authenticating Requests: Using the
/// Authorization Header (AWS Signature Version 4)", Amazon S3 API Reference,
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
///
/// ```
/// CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
/// StringToSign     = "AWS4-HMAC-SHA256" \n Timestamp \n Date/Region/s3/aws4_request \n hex(SHA256(CanonicalRequest))
/// SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, Date), Region), "s3"), "aws4_request")
/// Signature        = hex(HMAC(SigningKey, StringToSign))
/// ```
///
/// Important: the canonical URI is the path exactly as sent (each segment URI-encoded once, `/`
/// kept); callers build the request URL from `canonicalPath(bucket:key:)`'s output so the two agree.
/// The signer's output holds a signature, never the secret; neither is ever logged.
struct SigV4Signer: Sendable {
  /// What a request is signed over.
  struct Request {
    var method: String
    /// The URI-encoded path, as it goes on the wire.
    var path: String
    /// Query parameters, not yet encoded.
    var query: [(String, String)] = []
    /// Headers to sign (at least `host`); `x-amz-date`, `x-amz-content-sha256` and, with a session
    /// token, `x-amz-security-token` are added by `sign`.
    var headers: [(String, String)]
    /// Lower-case hex SHA-256 of the body (of the empty string for none).
    var payloadHash: String
  }

  static let algorithm = "AWS4-HMAC-SHA256"
  /// SHA-256 of no bytes, the payload hash of GET, HEAD and DELETE.
  static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  let credentials: S3Credentials
  /// The signing region, e.g. `eu-central-1` (not our legal `Region`).
  let region: String
  var service = "s3"

  /// The headers to send: the request's own plus the date, payload hash, token and
  /// `Authorization`.
  func sign(_ request: Request, at date: Date) -> [(String, String)] {
    var request = request
    request.headers.append(("x-amz-date", Self.timestamp(date)))
    request.headers.append(("x-amz-content-sha256", request.payloadHash))
    if let token = credentials.sessionToken { request.headers.append(("x-amz-security-token", token)) }
    return request.headers + [("Authorization", authorization(request, at: date))]
  }

  /// The `Authorization` header's value for `request`, whose headers already carry `x-amz-date`
  /// and `x-amz-content-sha256`.
  func authorization(_ request: Request, at date: Date) -> String {
    let (canonical, signedHeaders) = canonicalRequest(request)
    let signature = self.signature(stringToSign: stringToSign(canonicalRequest: canonical, at: date), at: date)
    return "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(date)),SignedHeaders=\(signedHeaders),Signature=\(signature)"
  }

  /// The canonical request and its signed-headers list.
  func canonicalRequest(_ request: Request) -> (String, signedHeaders: String) {
    let query = Self.canonicalQuery(request.query)
    // Header values: trimmed, runs of spaces collapsed; repeated names joined with commas.
    var headers: [String: [String]] = [:]
    for (name, value) in request.headers {
      let trimmed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
      headers[name.lowercased(), default: []].append(trimmed)
    }
    let names = headers.keys.sorted()
    let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()  // Keys of the dictionary.
    let signedHeaders = names.joined(separator: ";")
    let canonical = [request.method, request.path, query, canonicalHeaders, signedHeaders, request.payloadHash]
      .joined(separator: "\n")
    return (canonical, signedHeaders)
  }

  /// Parameters encoded, sorted by name then value, joined as `name=value&…`.
  static func canonicalQuery(_ parameters: [(String, String)]) -> String {
    let encoded: [(name: String, value: String)] = parameters.map {
      (uriEncode($0.0, keepSlash: false), uriEncode($0.1, keepSlash: false))
    }
    let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
    return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
  }

  func stringToSign(canonicalRequest: String, at date: Date) -> String {
    let hash = SHA256.hash(data: Data(canonicalRequest.utf8)).hex
    return [Self.algorithm, Self.timestamp(date), scope(date), hash].joined(separator: "\n")
  }

  func signature(stringToSign: String, at date: Date) -> String {
    var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
    for part in [Self.day(date), region, service, "aws4_request"] {
      key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
    }
    return HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).hex
  }

  func scope(_ date: Date) -> String { "\(Self.day(date))/\(region)/\(service)/aws4_request" }

  /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
  static func timestamp(_ date: Date) -> String {
    let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    // All six components were requested, so none is nil.
    let day: String = pad(c.year!, 4) + pad(c.month!, 2) + pad(c.day!, 2)
    let time: String = pad(c.hour!, 2) + pad(c.minute!, 2) + pad(c.second!, 2)
    return day + "T" + time + "Z"
  }

  static func day(_ date: Date) -> String { String(timestamp(date).prefix(8)) }

  /// URI-encodes per SigV4: every byte but `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex);
  /// `/` too unless `keepSlash` (object key paths).
  static func uriEncode(_ text: String, keepSlash: Bool) -> String {
    var encoded = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
           UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
        encoded.append(Character(Unicode.Scalar(byte)))
      case UInt8(ascii: "/") where keepSlash:
        encoded.append("/")
      default:
        encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return encoded
  }

  private static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!  // UTC always exists.
    return calendar
  }()

  private static func pad(_ value: Int, _ width: Int) -> String { String(value).leftPadded(to: width) }
}

extension String {
  func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
