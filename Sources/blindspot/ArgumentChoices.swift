import ArgumentParser
import Blindspot
import BlindspotVision

// Choices the command line accepts by name. The types live in the library; only the CLI parses them.
extension RedactionStyle: ExpressibleByArgument {}
extension AnonymizeOptions.DetectorFailurePolicy: ExpressibleByArgument {}
extension ObjectClass: ExpressibleByArgument {}

/// How progress is shown.
enum ProgressStyle: String, CaseIterable, ExpressibleByArgument {
  /// A bar on standard error when it is a terminal, else nothing.
  case auto
  case bar
  /// JSON lines on standard output.
  case json
  case none
}

/// How often the detectors run (`--cadence`).
enum CadenceChoice: String, CaseIterable, ExpressibleByArgument {
  /// Every `--detect-every` frames, exactly.
  case fixed
  /// Sooner when the scene or a track moves fast, later when it is static or empty.
  case adaptive
}
