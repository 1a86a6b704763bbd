import BlindspotSensor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct LineReaderTests {
  func lines(of data: Data) throws -> [String] {
    let dir = try Trace.scratch("lines")
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("f.txt")
    try data.write(to: url)
    let reader = try LineReader(url: url)
    var out: [String] = []
    while let line = try reader.next() {
      out.append(line)
      #expect(reader.lineNumber == out.count)
    }
    return out
  }

  @Test func linesSpanningChunksCRLFAndNoFinalNewlineAllArrive() throws {
    // Given 20 000 numbered lines (far beyond one 64 KiB chunk), CRLF endings, no final newline
    let expected = (0..<20_000).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }
    let text = expected.joined(separator: "\r\n")
    // When read
    let got = try lines(of: Data(text.utf8))
    // Then every line is there, exactly
    #expect(got == expected)
  }

  @Test func anEndlessLineIsBadInputNotUnboundedMemory() throws {
    let data = Data(repeating: UInt8(ascii: "a"), count: LineReader.maximumLineLength + 70_000)
    let error = try #require(throws: SensorError.self) { _ = try lines(of: data) }
    #expect(error.kind == .badInput && error.line == 1)
  }

  @Test func aCorruptNMEALogIsCountedButOnlyPartlyListed() throws {
    // Given 1500 garbage lines and a good fix
    let body = "GPRMC,080000.000,A,4808.228,N,01134.567,E,10.0,90.0,010326,,,A"
    let good = "$" + body + "*" + String(format: "%02X", body.utf8.reduce(UInt8(0), ^))
    let text = Array(repeating: "garbage", count: 1500).joined(separator: "\n") + "\n" + good + "\n"
    let dir = try Trace.scratch("corrupt")
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("in.nmea"), output = dir.appendingPathComponent("out.jsonl")
    try Data(text.utf8).write(to: input)
    // When anonymized
    let report = try SensorFile.anonymize(input: input, inputFormat: .nmea, output: output, outputFormat: .jsonl,
                                          policy: .neutral())
    // Then all 1500 are counted, the good fix comes through, the first bad line is named
    #expect(report.skippedLines == 1500)
    #expect(report.firstSkippedLine == 1)
    #expect(report.samplesOut == 1)
  }
}
