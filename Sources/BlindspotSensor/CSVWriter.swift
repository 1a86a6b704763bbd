/// Writes CSV through a `CSVLayout`: its headers first, then a row per sample; absent values are
/// empty cells; cells with `,`, `"` or line breaks are quoted.
public final class CSVWriter: SensorWriter {
  private let output: TextOutput
  private let layout: CSVLayout
  private var started = false

  public init(output: TextOutput, layout: CSVLayout) {
    self.output = output
    self.layout = layout
  }

  public func write(_ sample: SensorSample, trip: Int) throws {
    try start()
    let cells = layout.columns.map { column -> String in
      switch column.value {
      case .field(let field): field.text(of: sample) ?? ""
      case .extra(let key): sample.extras[key] ?? ""
      }
    }
    try output.write(cells.map(Self.quote).joined(separator: ",") + "\n")
  }

  public func finish() throws {
    try start()
    try output.flush()
  }

  private func start() throws {
    guard !started else { return }
    started = true
    try output.write(layout.columns.map { Self.quote($0.header) }.joined(separator: ",") + "\n")
  }

  static func quote(_ cell: String) -> String {
    guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
