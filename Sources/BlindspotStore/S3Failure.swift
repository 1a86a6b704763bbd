import Foundation

/// How one S3 request failed, before it becomes a `StoreError`: what decides whether to retry.
enum S3Failure: Error, Sendable {
  /// No answer: connection refused or lost, timeout, TLS failure. Retryable.
  case transport(String)
  /// The server answered 5xx (or 200 with an error body, as CompleteMultipartUpload may). Retryable.
  case server(status: Int, code: String)
  /// The request's date is too far from the server's clock (`RequestTimeTooSkewed`). Retryable
  /// once the signer's clock is corrected by the server's time.
  case clockSkew(serverTime: Date?)
  /// Any other 4xx: retrying the same request will not help.
  case client(status: Int, code: String)

  var isRetryable: Bool {
    switch self {
    case .transport, .server, .clockSkew: true
    case .client: false
    }
  }

  var summary: String {
    switch self {
    case .transport(let reason): reason
    case .server(let status, let code): "HTTP \(status)\(code.isEmpty ? "" : " \(code)")"
    case .clockSkew: "HTTP 403 RequestTimeTooSkewed"
    case .client(let status, let code): "HTTP \(status)\(code.isEmpty ? "" : " \(code)")"
    }
  }
}

/// The few fields Blindspot reads from S3's XML answers. S3's XML is flat and machine-made, so a
/// tag scan is enough; values are unescaped for the five predefined entities.
enum S3XML {
  static func value(of tag: String, in text: String) -> String? {
    guard let open = text.range(of: "<\(tag)>"), let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex) else {
      return nil
    }
    return unescape(String(text[open.upperBound..<close.lowerBound]))
  }

  /// The contents of every `<tag>…</tag>` element, in order (the `Contents` entries of a listing).
  static func elements(_ tag: String, in text: String) -> [String] {
    var found: [String] = [], rest = text[...]
    while let open = rest.range(of: "<\(tag)>"), let close = rest.range(of: "</\(tag)>", range: open.upperBound..<rest.endIndex) {
      found.append(String(rest[open.upperBound..<close.lowerBound]))
      rest = rest[close.upperBound...]
    }
    return found
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&apos;")
  }

  static func unescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
  }
}
