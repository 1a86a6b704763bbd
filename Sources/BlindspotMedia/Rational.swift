import CFFmpeg

/// An exact fraction, as FFmpeg keeps time bases and frame rates.
public struct Rational: Hashable, Sendable, CustomStringConvertible {
  public var numerator: Int32
  public var denominator: Int32

  public init(_ numerator: Int32, _ denominator: Int32) {
    self.numerator = numerator
    self.denominator = denominator
  }

  init(_ value: AVRational) { self.init(value.num, value.den) }

  var av: AVRational { AVRational(num: numerator, den: denominator) }

  /// True when the fraction is usable (FFmpeg uses 0/0 or 0/1 for "unknown").
  public var isValid: Bool { numerator > 0 && denominator > 0 }

  public var doubleValue: Double { denominator == 0 ? 0 : Double(numerator) / Double(denominator) }

  public var description: String { "\(numerator)/\(denominator)" }

  /// Converts a timestamp from this time base to `other`, rounding to nearest.
  /// The corresponding C function is `av_rescale_q`.
  public func rescale(_ timestamp: Int64, to other: Rational) -> Int64 {
    av_rescale_q(timestamp, av, other.av)
  }
}
