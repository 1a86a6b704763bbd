import Foundation

/// Items processed, sharded and skipped together. A TeslaCam minute (`2024-05-01_10-00-00-front.mp4`
/// and its `-back`, `-left_repeater`, … siblings in one folder) is one unit, and so is a
/// `SavedClips`/`SentryClips` event folder, so a clip's cameras stay together on one worker.
/// Any other file is a unit of its own.
public struct BatchUnit: Hashable, Sendable {
  /// Stable across listings: derived from item names only (see `BatchItem.name`).
  public let id: String
  public let items: [BatchItem]

  /// Groups `items` into units, in the order of each unit's first item.
  public static func group(_ items: [BatchItem]) -> [BatchUnit] {
    var order: [String] = [], members: [String: [BatchItem]] = [:]
    for item in items {
      let id = unitID(of: item.name)
      if members[id] == nil { order.append(id) }
      members[id, default: []].append(item)
    }
    return order.map { BatchUnit(id: $0, items: members[$0] ?? []) }
  }

  /// Folders whose subfolders are TeslaCam events (one event per folder, with `event.json`).
  static let eventFolders: Set<String> = ["SavedClips", "SentryClips"]

  /// `folder/event/` for a file in an event folder, `folder/2024-05-01_10-00-00-*` for a TeslaCam
  /// minute, else the name itself.
  static func unitID(of name: String) -> String {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    let folder = parts.dropLast().joined(separator: "/")
    if parts.count >= 3, eventFolders.contains(String(parts[parts.count - 3])) {
      return folder + "/"
    }
    if let minute = teslaMinute(String(parts.last ?? "")) {
      return (folder.isEmpty ? "" : folder + "/") + minute + "-*"
    }
    return name
  }

  /// The `YYYY-MM-DD_HH-MM-SS` of a TeslaCam camera file name (`…-front.mp4`), or nil.
  static func teslaMinute(_ fileName: String) -> String? {
    guard let match = fileName.wholeMatch(of: #/(\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2})-[A-Za-z0-9_]+\.[A-Za-z0-9]+/#) else {
      return nil
    }
    return String(match.output.1)
  }
}
