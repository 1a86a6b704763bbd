import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads GPX 1.1 track points (`trk/trkseg/trkpt`) with Foundation's event-driven `XMLParser`,
/// fed from a stream, so memory stays bounded whatever the file's size.
///
/// Per point: `lat`/`lon`, `ele`, `time` (required), `hdop` (as accuracy), and in `extensions`
/// any element named `speed`, `course` or `accuracy` (ours, Garmin's TrackPointExtension, …) and
/// our `bs:extra key="…"` values. Invalid XML, a root other than `gpx`, a point without a
/// time or with an absurd position is an error with its line number.
///
/// Not thread-safe; one reader per input.
public final class GPXReader: SensorReader {
  private let url: URL
  public let skipped: [SkippedLine] = []

  public init(url: URL) throws(SensorError) {
    guard url.path == "-" || url.path == "/dev/stdin" || FileManager.default.isReadableFile(atPath: url.path) else {
      throw SensorError(.badInput, file: url.path, "cannot open for reading")
    }
    self.url = url
  }

  public func forEach(_ body: (SensorSample, Int) throws -> Void) throws {
    let stream: InputStream? = (url.path == "-" || url.path == "/dev/stdin")
      ? InputStream(fileAtPath: "/dev/stdin") : InputStream(url: url)
    guard let stream else { throw SensorError(.badInput, file: url.path, "cannot open for reading") }
    let parser = XMLParser(stream: stream)
    parser.shouldProcessNamespaces = true
    try withoutActuallyEscaping(body) { escapable in
      let handler = Handler(file: url.path, body: escapable)
      parser.delegate = handler
      let ok = parser.parse()
      if let failure = handler.failure { throw failure }
      if !ok {
        throw SensorError(.badInput, file: url.path, line: max(1, parser.lineNumber), "invalid XML")
      }
      guard handler.sawRoot else { throw SensorError(.badInput, file: url.path, line: 1, "not a GPX document") }
    }
  }

  /// The SAX handler: collects one `trkpt` at a time.
  private final class Handler: NSObject, XMLParserDelegate {
    let file: String
    let body: (SensorSample, Int) throws -> Void
    var failure: (any Error)?
    var sawRoot = false
    private var point: SensorSample?
    private var text = ""
    private var extraKey: String?
    private var depthInExtensions = 0

    init(file: String, body: @escaping (SensorSample, Int) throws -> Void) {
      self.file = file
      self.body = body
    }

    private func fail(_ parser: XMLParser, _ reason: String) {
      guard failure == nil else { return }
      failure = SensorError(.badInput, file: file, line: parser.lineNumber, reason)
      parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      text = ""
      if !sawRoot {
        guard name == "gpx" else { return fail(parser, "root element is not <gpx>") }
        sawRoot = true
        return
      }
      switch name {
      case "trkpt":
        guard let latText = attributes["lat"], let lonText = attributes["lon"],
              let lat = Double(latText.trimmingCharacters(in: .whitespaces)),
              let lon = Double(lonText.trimmingCharacters(in: .whitespaces)) else {
          return fail(parser, "trkpt without a numeric lat and lon")
        }
        let coordinate = Coordinate(latitude: lat, longitude: lon)
        guard coordinate.isValid else { return fail(parser, "trkpt position out of range") }
        point = SensorSample(timestamp: .distantPast, coordinate: coordinate)
        point?.extras = [:]
      case "extra":
        extraKey = attributes["key"]
      default:
        break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if point != nil { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      guard point != nil else { return }
      let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
      text = ""
      func number(_ field: String) -> Double? {
        guard let number = Double(value), number.isFinite else {
          fail(parser, "\(field) is not a number")
          return nil
        }
        return number
      }
      switch name {
      case "ele": point?.altitude = number("ele")
      case "time":
        guard let date = Timestamp.parse(value) else { return fail(parser, "time is not ISO 8601") }
        point?.timestamp = date
      case "hdop", "accuracy": point?.accuracy = number(name)
      case "speed": point?.speed = number("speed")
      case "course": point?.heading = number("course")
      case "extra":
        if let key = extraKey { point?.extras[key] = value }
        extraKey = nil
      case "trkpt":
        guard let sample = point else { return }
        point = nil
        guard sample.timestamp != .distantPast else { return fail(parser, "trkpt without a time") }
        if let problem = SampleCheck.problem(in: sample) { return fail(parser, problem) }
        do { try body(sample, parser.lineNumber) } catch {
          failure = error
          parser.abortParsing()
        }
      default: break
      }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
      guard failure == nil else { return }
      failure = SensorError(.badInput, file: file, line: max(1, parser.lineNumber), "invalid XML")
    }
  }
}
