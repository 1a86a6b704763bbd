/// When and how often to retry a request that failed in a way that may pass: exponential backoff
/// with full jitter (each wait is uniform in `0 ... min(maxDelay, baseDelay × 2^(attempt-1))`), so
/// a fleet of cars that lost the same endpoint does not come back in lock step.
public struct RetryPolicy: Sendable {
  /// Attempts in all, the first included (1 = no retry).
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// Picks a number in the range (the jitter). Replaceable so tests are deterministic.
  package var random: @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
  /// Waits between attempts. Replaceable so tests can count waits or hold a retry until a
  /// restarted server is ready.
  package var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

  public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(20)) {
    precondition(maxAttempts >= 1, "at least one attempt")
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }

  /// The wait before attempt `attempt` (2, 3, …).
  func delay(beforeAttempt attempt: Int) -> Duration {
    let exponent = min(max(attempt - 2, 0), 30)
    let ceiling = min(seconds(maxDelay), seconds(baseDelay) * Double(1 << exponent))
    return .milliseconds(Int64(random(0...ceiling) * 1000))
  }

  private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
