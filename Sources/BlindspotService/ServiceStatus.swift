import Foundation

/// What `/status` and `/readyz` report: facts the loop updates as it goes.
///
/// Thread-safety: `Sendable`; every field is read and written under the lock.
public final class ServiceStatus: @unchecked Sendable {
  public struct Snapshot: Codable, Sendable {
    public var version: String
    public var region: String
    public var ready: Bool
    public var shuttingDown: Bool
    public var uptimeSeconds: Double
    public var segments: [String: Int]
    /// Complete segments waiting to be anonymized or stored (retries included).
    public var queue: Int
    public var inProgress: Int
    public var spoolBytes: Int64
    public var stores: [String]
    /// The last failure, one line (no coordinates, no credentials).
    public var lastError: String?
  }

  private let lock = NSLock()
  private var snapshot: Snapshot
  private let started = Date()

  init(version: String, region: String, stores: [String]) {
    snapshot = Snapshot(version: version, region: region, ready: false, shuttingDown: false, uptimeSeconds: 0, segments: [:],
                        queue: 0, inProgress: 0, spoolBytes: 0, stores: stores, lastError: nil)
  }

  func update(_ change: (inout Snapshot) -> Void) { lock.withLock { change(&snapshot) } }

  public var current: Snapshot {
    lock.withLock {
      var copy = snapshot
      copy.uptimeSeconds = (Date().timeIntervalSince(started) * 10).rounded() / 10
      return copy
    }
  }
}
