/// Writes GPX 1.1: one `trk`, one `trkseg` per trip, a `trkpt` per sample with a position.
///
/// Speed, course, accuracy and extras go in each point's `extensions`, in Blindspot's namespace
/// (`bs:`), because GPX 1.1 has no element for them. IMU values and vehicle signals have no
/// place in GPX and are not written.
public final class GPXWriter: SensorWriter {
  /// Blindspot's GPX extension namespace.
  public static let namespace = "urn:blindspot:sensor:1"
  private let output: TextOutput
  private var openTrip: Int?
  private var started = false

  public init(output: TextOutput) { self.output = output }

  public func write(_ sample: SensorSample, trip: Int) throws {
    guard let c = sample.coordinate else { return }
    try start()
    if openTrip != trip {
      if openTrip != nil { try output.write("    </trkseg>\n") }
      try output.write("    <trkseg>\n")
      openTrip = trip
    }
    var xml = "      <trkpt lat=\"\(NumberText.shortest(c.latitude))\" lon=\"\(NumberText.shortest(c.longitude))\">"
    if let altitude = sample.altitude { xml += "<ele>\(NumberText.shortest(altitude))</ele>" }
    xml += "<time>\(Timestamp.format(sample.timestamp))</time>"
    var extensions = ""
    if let speed = sample.speed { extensions += "<bs:speed>\(NumberText.shortest(speed))</bs:speed>" }
    if let heading = sample.heading { extensions += "<bs:course>\(NumberText.shortest(heading))</bs:course>" }
    if let accuracy = sample.accuracy { extensions += "<bs:accuracy>\(NumberText.shortest(accuracy))</bs:accuracy>" }
    for (key, value) in sample.extras.sorted(by: { $0.key < $1.key }) {
      extensions += "<bs:extra key=\"\(Self.escape(key))\">\(Self.escape(value))</bs:extra>"
    }
    if !extensions.isEmpty { xml += "<extensions>\(extensions)</extensions>" }
    try output.write(xml + "</trkpt>\n")
  }

  public func finish() throws {
    try start()
    if openTrip != nil { try output.write("    </trkseg>\n") }
    try output.write("  </trk>\n</gpx>\n")
    try output.flush()
  }

  private func start() throws {
    guard !started else { return }
    started = true
    try output.write("""
      <?xml version="1.0" encoding="UTF-8"?>
      <gpx version="1.1" creator="Blindspot" xmlns="http://www.topografix.com/GPX/1/1" xmlns:bs="\(Self.namespace)">
        <trk>

      """)
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for ch in text {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(ch)
      }
    }
    return out
  }
}
