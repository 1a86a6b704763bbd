import Foundation

/// Which files of a spool are camera segments, how they group and which go first.
struct SpoolLayout: Sendable {
  let settings: SpoolSettings

  /// Tesla names every camera's file of one minute `YYYY-MM-DD_HH-MM-SS-<camera>.mp4`.
  static let teslaCameras: Set<String> = ["front", "back", "left_repeater", "right_repeater", "left_pillar", "right_pillar"]
  static let eventFolders: Set<String> = ["SavedClips", "SentryClips"]
  static let rollingFolders: Set<String> = ["RecentClips"]

  /// The segment a spool-relative path is, or nil for anything else (thumbnails, event.json,
  /// hidden and partial files, other recorders' files).
  func segment(at path: String) -> SpoolSegment? {
    let components = path.split(separator: "/").map(String.init)
    guard let name = components.last, !name.hasPrefix("."), !components.contains(where: { $0.hasPrefix(".") }) else { return nil }
    switch settings.layout {
    case .generic:
      guard settings.include.contains(where: { fnmatch($0, name, 0) == 0 }) else { return nil }
      return SpoolSegment(path: path, group: path, priority: .rolling)
    case .teslacam:
      guard let minute = Self.teslaMinute(of: name) else { return nil }
      let folders = components.dropLast()
      let priority: SpoolSegment.Priority
      if folders.contains(where: Self.eventFolders.contains) {
        priority = .event
      } else if folders.contains(where: Self.rollingFolders.contains) {
        priority = .rolling
      } else {
        return nil
      }
      let folder = folders.joined(separator: "/")
      return SpoolSegment(path: path, group: folder.isEmpty ? minute : "\(folder)/\(minute)", priority: priority)
    }
  }

  /// `2026-11-02_08-14-03` of `2026-11-02_08-14-03-left_repeater.mp4`, or nil if the name is not
  /// a Tesla camera file.
  static func teslaMinute(of name: String) -> String? {
    guard name.hasSuffix(".mp4") else { return nil }
    let stem = name.dropLast(4)
    let stamp = stem.prefix(19)
    guard stamp.count == 19, stem.count > 20, stem[stem.index(stem.startIndex, offsetBy: 19)] == "-",
          teslaCameras.contains(String(stem.dropFirst(20))) else { return nil }
    let pattern = Array("dddd-dd-dd_dd-dd-dd")
    for (character, expected) in zip(stamp, pattern) {
      guard expected == "d" ? character.isASCII && character.isNumber : character == expected else { return nil }
    }
    return String(stamp)
  }
}
