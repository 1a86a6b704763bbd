import Blindspot
import BlindspotStore

extension ConfigMap {
  /// The integer under `key`, refused with the key's name when `limit` does not accept it.
  func int(_ key: String, within limit: OptionLimit) throws(StoreError) -> Int? {
    guard let value = try int(key) else { return nil }
    if let problem = limit.problem(with: Double(value)) { throw error(key, problem) }
    return value
  }

  /// The number under `key`, refused with the key's name when `limit` does not accept it.
  func double(_ key: String, within limit: OptionLimit) throws(StoreError) -> Double? {
    guard let value = try double(key) else { return nil }
    if let problem = limit.problem(with: value) { throw error(key, problem) }
    return value
  }
}
