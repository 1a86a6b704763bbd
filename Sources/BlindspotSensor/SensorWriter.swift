/// Writes samples to one output. Call `finish()` once after the last sample.
public protocol SensorWriter: AnyObject {
  /// Writes `sample`, which belongs to trip number `trip` (0-based, non-decreasing).
  func write(_ sample: SensorSample, trip: Int) throws
  /// Writes any trailer and flushes.
  func finish() throws
}
