/// A failure to configure a store or to put an artifact into one.
///
/// Each kind maps to one of the command line's exit codes (`exitCode`), so the service and batch
/// can tell "fix the configuration" from "retry later" from "this would break a privacy rule".
/// Important: the message never carries a credential, a signature or an object's content; it
/// names the store, the key and the reason only, so it is safe to log.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: Hashable, Sendable {
    /// The store configuration is wrong: malformed YAML, an unknown key or region, a missing
    /// credential, an unusable outbox directory. Exit 1.
    case configuration
    /// Data would leave its region: a store of another region in the configuration, or a
    /// run-time request to write an artifact into another region's store. Exit 3, never a fallback.
    case policy
    /// The store refused the request for a reason a retry will not change: credentials refused,
    /// bucket missing, access denied. Exit 1 (someone has to fix the configuration or the store).
    case rejected
    /// The key already holds different content. Nothing is overwritten. Exit 2.
    case conflict
    /// The store could not be reached or failed on its side (5xx, timeout, connection lost), or
    /// what it holds after the write does not match what was sent. Exit 4: retry later.
    case unavailable
  }

  public let kind: Kind
  /// The store the failure is about (its name in the configuration); empty when there is none.
  public var store: String
  public let reason: String

  public init(_ kind: Kind, store: String = "", _ reason: String) {
    self.kind = kind
    self.store = store
    self.reason = reason
  }

  /// The process exit code for this failure (see DESIGN.md: 1 usage, 2 bad input, 3 policy,
  /// 4 retryable I/O).
  public var exitCode: Int32 {
    switch kind {
    case .configuration, .rejected: 1
    case .conflict: 2
    case .policy: 3
    case .unavailable: 4
    }
  }

  /// Whether trying the same operation again later may succeed.
  public var isRetryable: Bool { kind == .unavailable }

  public var description: String { store.isEmpty ? reason : "store \(store): \(reason)" }

  /// The same error, attributed to `store` (when it names none yet).
  func inStore(_ name: String) -> StoreError {
    var copy = self
    if copy.store.isEmpty { copy.store = name }
    return copy
  }
}
