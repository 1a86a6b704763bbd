import Foundation
import Testing

@testable import BlindspotStore

/// The signer against the worked example in AWS's S3 documentation ("Authenticating Requests:
/// Using the Authorization Header (AWS Signature Version 4)", section "Example: GET Object",
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): the first 10
/// bytes of `examplebucket/test.txt` in us-east-1 on 2013-05-24, with the documented example key.
@Suite(.timeLimit(.minutes(1))) struct SigV4SignerTests {
  let signer = SigV4Signer(
    credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                               source: "test"),
    region: "us-east-1")
  let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
  let getObject = SigV4Signer.Request(
    method: "GET", path: "/test.txt",
    headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
              ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash), ("x-amz-date", "20130524T000000Z")],
    payloadHash: SigV4Signer.emptyPayloadHash)

  @Test func canonicalRequestMatchesTheDocumentedExample() {
    // Given AWS's GET Object example; when canonicalized
    let (canonical, signedHeaders) = signer.canonicalRequest(getObject)
    // Then it is the documented text, byte for byte
    #expect(canonical == """
      GET
      /test.txt

      host:examplebucket.s3.amazonaws.com
      range:bytes=0-9
      x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
      x-amz-date:20130524T000000Z

      host;range;x-amz-content-sha256;x-amz-date
      e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
      """)
    #expect(signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
  }

  @Test func stringToSignMatchesTheDocumentedExample() {
    let (canonical, _) = signer.canonicalRequest(getObject)
    #expect(signer.stringToSign(canonicalRequest: canonical, at: date) == """
      AWS4-HMAC-SHA256
      20130524T000000Z
      20130524/us-east-1/s3/aws4_request
      7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
      """)
  }

  @Test func signatureAndAuthorizationMatchTheDocumentedExample() {
    // When signed
    let authorization = signer.authorization(getObject, at: date)
    // Then the signature is AWS's published one
    #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
      + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
      + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  @Test func signAddsDateAndPayloadHashAndNeverTheSecret() {
    // Given the example's headers without the two the signer adds
    var request = getObject
    request.headers.removeLast(2)
    // When signed
    let headers = signer.sign(request, at: date)
    // Then the result equals the documented one, and the secret appears nowhere
    #expect(headers.first { $0.0 == "Authorization" }?.1.hasSuffix("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") == true)
    #expect(headers.contains { $0.0 == "x-amz-date" && $0.1 == "20130524T000000Z" })
    #expect(!headers.contains { $0.1.contains("wJalrXUtnFEMI") })
  }

  @Test func queryParametersAreEncodedAndSorted() {
    // Given a multipart part upload with parameters out of order and an id needing encoding
    let request = SigV4Signer.Request(method: "PUT", path: "/bucket/a%20b/c.mp4",
                                      query: [("uploadId", "x/y+z="), ("partNumber", "2")],
                                      headers: [("host", "127.0.0.1:9000")], payloadHash: SigV4Signer.emptyPayloadHash)
    // When canonicalized, then parameters are sorted and fully encoded (`/`, `+`, `=` too)
    let lines = signer.canonicalRequest(request).0.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[2] == "partNumber=2&uploadId=x%2Fy%2Bz%3D")
  }

  @Test func uriEncodingKeepsUnreservedAndSlashesInKeys() {
    #expect(SigV4Signer.uriEncode("2024/05/01 front~_-.mp4", keepSlash: true) == "2024/05/01%20front~_-.mp4")
    #expect(SigV4Signer.uriEncode("a/b", keepSlash: false) == "a%2Fb")
    #expect(SigV4Signer.uriEncode("é", keepSlash: true) == "%C3%A9")
  }

  @Test func headerValuesAreTrimmedAndSpacesCollapsed() {
    let request = SigV4Signer.Request(method: "GET", path: "/", headers: [("Host", "h"), ("X-Amz-Meta-Note", "  a   b ")],
                                      payloadHash: SigV4Signer.emptyPayloadHash)
    #expect(signer.canonicalRequest(request).0.contains("\nx-amz-meta-note:a b\n"))
  }
}
