import Blindspot
import BlindspotStore
import BlindspotVision
import Foundation

extension ServiceConfiguration {
  /// The service's own top-level keys; `region`, `stores` and the rest belong to the store module.
  static let serviceKeys: Set<String> = ["state_dir", "spool", "streams", "anonymize", "sensor_policy", "jobs", "shutdown_grace_s", "http", "log"]

  /// Reads `blindspot.yaml`. Relative paths are relative to the file's directory. Errors are one
  /// line naming the file, the line and the key, never a value; a cross-region store is `.policy`.
  public static func load(file path: String,
                          environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> ServiceConfiguration {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw StoreError(.configuration, "\(path): cannot read the configuration")
    }
    do {
      return try parse(yaml: text, environment: environment,
                       baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL)
    } catch {
      throw StoreError(error.kind, store: error.store, "\(path): \(error.reason)")
    }
  }

  public static func parse(yaml text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                           baseDirectory: URL) throws(StoreError) -> ServiceConfiguration {
    let top = try ConfigMap(StoreConfiguration.compose(yaml: text), path: "config")
    let stores = try StoreConfiguration.parse(top, otherKeys: serviceKeys, environment: environment, baseDirectory: baseDirectory)
    func path(_ text: String) -> URL {
      text.hasPrefix("/") ? URL(fileURLWithPath: text) : baseDirectory.appendingPathComponent(text).standardizedFileURL
    }
    guard let stateDir = try top.string("state_dir") else {
      throw StoreError(.configuration, "line \(top.line): config: 'state_dir' is missing (where the journal and staged outputs live)")
    }
    guard let spoolMap = try top.map("spool") else {
      throw StoreError(.configuration, "line \(top.line): config: 'spool' is missing")
    }
    var configuration = ServiceConfiguration(stores: stores, stateDirectory: path(stateDir), spool: try spool(spoolMap, path: path))
    for (index, node) in (try top.list("streams") ?? []).enumerated() {
      configuration.streams.append(try stream(ConfigMap(node, path: "streams[\(index)]"), path: path))
    }
    let names = configuration.streams.map(\.name)
    if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
      throw StoreError(.configuration, "line \(top.line("streams")): config.streams: the name '\(repeated)' is used twice")
    }
    if let anonymizeMap = try top.map("anonymize") {
      try anonymize(anonymizeMap, into: &configuration, path: path)
    }
    configuration.sensorPolicyFile = try top.string("sensor_policy").map { path($0).path }
    if let jobs = try top.int("jobs") {
      guard (1...16).contains(jobs) else { throw top.error("jobs", "must be between 1 and 16") }
      configuration.jobs = jobs
    }
    if let grace = try top.double("shutdown_grace_s") {
      guard grace >= 0 else { throw top.error("shutdown_grace_s", "must not be negative") }
      configuration.shutdownGrace = .milliseconds(Int64(grace * 1000))
    }
    if let http = try top.map("http") {
      try http.allow(["listen"])
      configuration.listen = try listen(http)
    }
    if let log = try top.map("log") {
      try log.allow(["format", "level"])
      if let format = try log.string("format") {
        guard let value = LogFormat(rawValue: format) else { throw log.error("format", "expected text or json") }
        configuration.logFormat = value
      }
      if let level = try log.string("level") {
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
          throw log.error("level", "expected trace, debug, info, notice, warning, error or critical")
        }
        configuration.logLevel = level
      }
    }
    return configuration
  }

  private static func spool(_ map: ConfigMap, path: (String) -> URL) throws(StoreError) -> SpoolSettings {
    try map.allow(["path", "layout", "include", "settle_s", "poll_s", "inotify", "backlog_budget_gib", "delete_raw_after"])
    var settings = SpoolSettings(directory: path(try map.requiredString("path")))
    if let layout = try map.string("layout") {
      guard let value = SpoolSettings.Layout(rawValue: layout) else { throw map.error("layout", "expected teslacam or generic") }
      settings.layout = value
    }
    if let include = try map.list("include") {
      settings.include = try include.map { node throws(StoreError) in
        guard let pattern = node.string, !pattern.isEmpty else { throw map.error("include", "expected a list of file-name patterns") }
        return pattern
      }
    }
    if let settle = try map.double("settle_s") {
      guard settle >= 0 else { throw map.error("settle_s", "must not be negative") }
      settings.settle = .milliseconds(Int64(settle * 1000))
    }
    if let poll = try map.double("poll_s") {
      guard poll > 0 else { throw map.error("poll_s", "must be positive") }
      settings.pollInterval = .milliseconds(Int64(poll * 1000))
    }
    settings.inotify = try map.bool("inotify") ?? true
    if let budget = try map.double("backlog_budget_gib") {
      guard budget > 0 else { throw map.error("backlog_budget_gib", "must be positive") }
      settings.backlogBudgetBytes = Int64(budget * 1_073_741_824)
    }
    if let retention = try map.string("delete_raw_after") {
      guard let value = RawRetention(rawValue: retention) else { throw map.error("delete_raw_after", "expected never or stored") }
      settings.deleteRaw = value
    }
    return settings
  }

  private static func stream(_ map: ConfigMap, path: (String) -> URL) throws(StoreError) -> StreamSettings {
    try map.allow(["name", "url", "input_format", "segment_s", "container", "max_reconnect_delay_s"])
    let name = try map.requiredString("name")
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
      throw map.error("name", "letters, digits, - and _ only (it names the stream's folder)")
    }
    var url = try map.requiredString("url")
    if !url.contains("://"), !url.hasPrefix("/") { url = path(url).path }  // a FIFO beside the file
    var settings = StreamSettings(name: name, url: url, inputFormat: try map.string("input_format"))
    if let seconds = try map.double("segment_s") {
      guard seconds >= 1 else { throw map.error("segment_s", "must be at least 1") }
      settings.segmentSeconds = seconds
    }
    if let container = try map.string("container") {
      guard ["mp4", "ts"].contains(container) else { throw map.error("container", "expected mp4 or ts") }
      settings.container = container
    }
    if let delay = try map.double("max_reconnect_delay_s") {
      guard delay >= 0.1 else { throw map.error("max_reconnect_delay_s", "must be at least 0.1") }
      settings.maxReconnectDelay = .milliseconds(Int64(delay * 1000))
    }
    return settings
  }

  private static func anonymize(_ map: ConfigMap, into configuration: inout ServiceConfiguration,
                                path: (String) -> URL) throws(StoreError) {
    try map.allow(["classes", "style", "margin", "face_margin", "plate_margin", "face_threshold", "plate_threshold",
                   "detect_every", "cadence", "look_ahead_s", "keep_alive_s", "detect_size", "plate_detect_size",
                   "plate_enlarge_to", "plate_enlarge", "score_hysteresis", "face_weak_confirmations",
                   "plate_weak_confirmations", "tiles", "face_model", "plate_model", "plate_verifier", "models",
                   "codec", "preset", "crf", "keep_audio", "on_detector_error"])
    var options = AnonymizeOptions()
    if let classes = try map.list("classes") {
      options.classes = try classes.map { node throws(StoreError) in
        guard let name = node.string, let value = ObjectClass(rawValue: name) else {
          throw map.error("classes", "expected a list of face, plate")
        }
        return value
      }
      guard !options.classes.isEmpty else { throw map.error("classes", "needs at least one class") }
    }
    if let style = try map.string("style") {
      guard let value = RedactionStyle(rawValue: style) else { throw map.error("style", "expected blur, pixelate or fill") }
      options.style = value
    }
    if let margin = try map.double("margin", within: .margin) { options.margins = [.face: margin, .plate: margin] }
    if let margin = try map.double("face_margin", within: .margin) { options.margins[.face] = margin }
    if let margin = try map.double("plate_margin", within: .margin) { options.margins[.plate] = margin }
    if let score = try map.double("face_threshold", within: .scoreThreshold) { options.thresholds[.face] = score }
    if let score = try map.double("plate_threshold", within: .scoreThreshold) { options.thresholds[.plate] = score }
    if let every = try map.int("detect_every") {
      guard every >= 1 else { throw map.error("detect_every", "must be at least 1") }
      options.detectEvery = every
    }
    if let cadence = try map.string("cadence") {
      switch cadence {
      case "adaptive": options.adaptiveCadence = AdaptiveCadence()
      case "fixed": options.adaptiveCadence = nil
      default: throw map.error("cadence", "expected adaptive or fixed")
      }
    }
    if let seconds = try map.double("look_ahead_s", within: .trackSeconds) { options.lookAheadSeconds = seconds }
    if let seconds = try map.double("keep_alive_s", within: .trackSeconds) { options.trackKeepAliveSeconds = seconds }
    if let size = try map.int("detect_size", within: .detectionSize) { options.detectionLongSide = size }
    if let size = try map.int("plate_detect_size", within: .detectionSize) { options.plateDetectionLongSide = size }
    if let size = try map.int("plate_enlarge_to", within: .detectionSize) { options.plateEnlargementLongSide = size }
    if let factor = try map.double("plate_enlarge", within: .plateEnlargement) { options.plateDetectionMaxEnlargement = factor }
    if let fraction = try map.double("score_hysteresis", within: .scoreHysteresis) { options.scoreHysteresis = fraction }
    for (key, objectClass) in [("face_weak_confirmations", ObjectClass.face), ("plate_weak_confirmations", .plate)] {
      guard let runs = try map.int(key, within: .weakConfirmations) else { continue }
      options.weakConfirmations = (options.weakConfirmations ?? [:]).merging([objectClass: runs]) { $1 }
    }
    if let tiles = try map.int("tiles", within: .tiles) { options.tiles = tiles }
    options.faceModel = try map.string("face_model") ?? options.faceModel
    options.plateModel = try map.string("plate_model") ?? options.plateModel
    if let verifier = try map.string("plate_verifier") { options.plateVerifier = verifier == "none" ? nil : verifier }
    configuration.modelsDirectory = try map.string("models").map(path)
    options.encoder.codec = try map.string("codec") ?? options.encoder.codec
    options.encoder.preset = try map.string("preset") ?? options.encoder.preset
    if let crf = try map.double("crf") {
      guard (0...63).contains(crf) else { throw map.error("crf", "must be between 0 and 63") }
      options.encoder.crf = crf
    }
    options.keepAudio = try map.bool("keep_audio") ?? false
    if let policy = try map.string("on_detector_error") {
      guard let value = AnonymizeOptions.DetectorFailurePolicy(rawValue: policy) else {
        throw map.error("on_detector_error", "expected mask or abort")
      }
      options.onDetectorError = value
    }
    configuration.anonymize = options
  }

  private static func listen(_ map: ConfigMap) throws(StoreError) -> (host: String, port: Int)? {
    guard let text = try map.string("listen") else { return ("127.0.0.1", 9464) }
    if text == "off" { return nil }
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
          colon != text.startIndex else {
      throw map.error("listen", "expected host:port (e.g. 127.0.0.1:9464) or off")
    }
    return (String(text[..<colon]), port)
  }
}
