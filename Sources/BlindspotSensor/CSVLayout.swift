/// Which CSV columns map to which sample values: a list of columns, each a `SensorField` or an
/// extra (`extra.NAME`), under a header name of its own.
///
/// Written as text: `field[=header],…`, e.g. `time=ts,latitude=lat,longitude=lon,speed,extra.vin=VIN`.
/// A column missing from the header is absent in every sample; a header the layout does not name
/// is ignored (so it never reaches the output).
public struct CSVLayout: Hashable, Sendable {
  public enum Value: Hashable, Sendable {
    case field(SensorField)
    case extra(String)
  }

  public struct Column: Hashable, Sendable {
    public var value: Value
    public var header: String
    public init(_ value: Value, header: String) {
      self.value = value
      self.header = header
    }
  }

  public var columns: [Column]

  public init(columns: [Column]) { self.columns = columns }

  /// Every field under its own name.
  public static var standard: CSVLayout {
    CSVLayout(columns: SensorField.allCases.map { Column(.field($0), header: $0.rawValue) })
  }

  /// Parses `field[=header],…`.
  public init(spec: String) throws(SensorError) {
    var columns: [Column] = []
    for item in spec.split(separator: ",") {
      let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      let name = parts[0]
      let header = parts.count > 1 ? parts[1] : name
      if name.hasPrefix("extra."), name.count > 6 {
        columns.append(Column(.extra(String(name.dropFirst(6))), header: header))
      } else if let field = SensorField(rawValue: name) {
        columns.append(Column(.field(field), header: header))
      } else {
        let known = SensorField.allCases.map(\.rawValue).joined(separator: ", ")
        throw SensorError(.configuration, "unknown CSV column '\(name)' (\(known), extra.NAME)")
      }
    }
    guard columns.contains(where: { $0.value == .field(.time) }) else {
      throw SensorError(.configuration, "the CSV layout needs a time column")
    }
    self.columns = columns
  }
}
