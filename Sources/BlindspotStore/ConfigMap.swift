import Yams

/// A YAML mapping from a configuration file (stores, and the service's sections around them), with lookups that fail with one-line errors naming
/// the line and the key path, never the value (a value may be a secret).
package struct ConfigMap {
  package let mapping: Node.Mapping
  /// Where this mapping sits in the file, e.g. `stores[1].s3`.
  package let path: String
  package let line: Int

  package init(_ node: Node, path: String) throws(StoreError) {
    guard let mapping = node.mapping else {
      throw StoreError(.configuration, "line \(node.mark?.line ?? 0): \(path): expected a mapping")
    }
    self.mapping = mapping
    self.path = path
    self.line = node.mark?.line ?? 0
  }

  package func error(_ key: String, _ reason: String) -> StoreError {
    StoreError(.configuration, "line \(line(key)): \(path).\(key): \(reason)")
  }

  package func line(_ key: String) -> Int { mapping[key]?.mark?.line ?? line }

  /// Throws for the first key not in `keys`, so a misspelt option cannot silently do nothing.
  package func allow(_ keys: Set<String>) throws(StoreError) {
    for (key, value) in mapping {
      guard let name = key.string else { throw StoreError(.configuration, "line \(key.mark?.line ?? line): \(path): keys must be strings") }
      if !keys.contains(name) {
        throw StoreError(.configuration, "line \(value.mark?.line ?? line): \(path): unknown key '\(name)' (allowed: \(keys.sorted().joined(separator: ", ")))")
      }
    }
  }

  package func has(_ key: String) -> Bool { mapping[key] != nil }

  package func string(_ key: String) throws(StoreError) -> String? {
    guard let node = mapping[key] else { return nil }
    guard let value = node.scalar?.string else { throw error(key, "expected a string") }
    return value
  }

  package func requiredString(_ key: String) throws(StoreError) -> String {
    guard let value = try string(key), !value.isEmpty else {
      throw StoreError(.configuration, "line \(line): \(path): '\(key)' is missing")
    }
    return value
  }

  package func int(_ key: String) throws(StoreError) -> Int? {
    guard let node = mapping[key] else { return nil }
    guard let value = node.int else { throw error(key, "expected an integer") }
    return value
  }

  package func double(_ key: String) throws(StoreError) -> Double? {
    guard let node = mapping[key] else { return nil }
    guard let value = node.float ?? node.int.map(Double.init) else { throw error(key, "expected a number") }
    return value
  }

  package func bool(_ key: String) throws(StoreError) -> Bool? {
    guard let node = mapping[key] else { return nil }
    guard let value = node.bool else { throw error(key, "expected true or false") }
    return value
  }

  package func map(_ key: String) throws(StoreError) -> ConfigMap? {
    guard let node = mapping[key] else { return nil }
    return try ConfigMap(node, path: "\(path).\(key)")
  }

  package func list(_ key: String) throws(StoreError) -> [Node]? {
    guard let node = mapping[key] else { return nil }
    guard let sequence = node.sequence else { throw error(key, "expected a list") }
    return Array(sequence)
  }
}
