import Testing

@testable import BlindspotStore

@Suite(.timeLimit(.minutes(1))) struct RetryPolicyTests {
  @Test func delaysGrowExponentiallyUpToTheCap() {
    // Given a policy whose jitter always picks the top of its range
    var policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    policy.random = { $0.upperBound }
    // Then the ceilings are 0.1, 0.2, 0.4, 0.8, then capped at 1 s
    let delays = (2...7).map { policy.delay(beforeAttempt: $0) }
    #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
  }

  @Test func fullJitterDrawsFromZero() {
    // Given a jitter recording its range
    var policy = RetryPolicy(baseDelay: .milliseconds(100))
    policy.random = { range in range.lowerBound }
    // Then the wait may be zero (full jitter, not "equal jitter")
    #expect(policy.delay(beforeAttempt: 4) == .zero)
  }
}
