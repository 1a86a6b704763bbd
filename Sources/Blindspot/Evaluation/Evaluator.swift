import BlindspotMedia
import BlindspotVision
import Foundation

/// `blindspot eval`: runs the real pipeline on a labelled dataset and measures what leaked.
///
/// Each item goes through `Anonymizer` exactly as `anonymize` would run it, with the same
/// options, except that the video is encoded by FFmpeg's `wrapped_avframe` into the `null` muxer
/// (nothing is written) and the detections log is read back: the boxes measured are the boxes the
/// product redacts.
public struct Evaluator: Sendable {
  public var options: AnonymizeOptions
  public var detectors: any DetectorFactory

  public init(options: AnonymizeOptions, detectors: any DetectorFactory) {
    var options = options
    options.encoder = EncoderSettings(codec: "wrapped_avframe", preset: nil, crf: nil)
    options.format = "null"
    self.options = options
    self.detectors = detectors
  }

  /// One clip or image with its ground truth.
  public struct Item: Sendable {
    public var name: String
    public var media: URL
    public var truth: GroundTruth?
    /// For images: objects of the single frame, size read from the file.
    public var imageObjects: [GroundTruth.Object]?
  }

  /// Finds the items of a dataset: a folder of clips with `CLIP.truth.json` files, one such
  /// file, or a dlib imglab XML file of images.
  public static func items(in dataset: URL) throws -> [Item] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dataset.path, isDirectory: &isDirectory) else {
      throw BlindspotError(.badInput, subject: dataset.path, reason: "no such dataset")
    }
    if isDirectory.boolValue {
      let files = (FileManager.default.enumerator(at: dataset, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
        .sorted { $0.path < $1.path }
      let truths = files.filter { $0.lastPathComponent.hasSuffix(".truth.json") }
      if !truths.isEmpty { return try truths.map(videoItem) }
      let xmls = files.filter { $0.pathExtension.lowercased() == "xml" }
      guard !xmls.isEmpty else {
        throw BlindspotError(.badInput, subject: dataset.path, reason: "no *.truth.json or imglab *.xml files in the dataset")
      }
      return try xmls.flatMap(imageItems)
    }
    if dataset.pathExtension.lowercased() == "xml" { return try imageItems(dataset) }
    return [try videoItem(dataset)]
  }

  /// The items with the objects from `sources` left out of the counts (`GroundTruth.leavingOut`).
  /// Fails when no object comes from one of them: a misspelt name would otherwise change nothing.
  public static func leavingOut(_ sources: Set<String>, of items: [Item]) throws(BlindspotError) -> [Item] {
    let known = Set(items.flatMap { $0.truth?.objects.values.joined().compactMap(\.source) ?? [] })
    if let unknown = sources.subtracting(known).sorted().first {
      throw BlindspotError(.usage, subject: unknown, reason: "no object of the dataset comes from this source")
    }
    return items.map { item in
      var item = item
      item.truth = item.truth?.leavingOut(sources: sources)
      return item
    }
  }

  private static func videoItem(_ truthURL: URL) throws -> Item {
    let truth = try GroundTruth.load(truthURL)
    let name = String(truthURL.lastPathComponent.dropLast(".truth.json".count))
    return Item(name: name, media: truthURL.deletingLastPathComponent().appendingPathComponent(name), truth: truth)
  }

  private static func imageItems(_ xml: URL) throws -> [Item] {
    try ImglabDataset.load(xml).map { Item(name: $0.url.lastPathComponent, media: $0.url, imageObjects: $0.objects) }
  }

  /// Measures another tool's outputs instead of running the pipeline: for each item, the video of
  /// the same name in `directory`. An object-frame counts as hidden when the output keeps less than
  /// 20% of the detail (mean squared Laplacian) the input has inside its box — the same yardstick
  /// for every tool, since other tools do not report boxes. An output of another size (some tools
  /// round to multiples of 16) is scaled to the input's size first.
  public static func evaluateOutputs(in directory: URL, for items: [Item]) throws(BlindspotError) -> EvaluationReport {
    var metrics = EvaluationMetrics()
    let started = Date()
    var frames = 0
    for item in items {
      guard let truth = item.truth else {
        throw BlindspotError(.usage, subject: item.name, reason: "comparing outputs needs video ground truth")
      }
      let outputURL = directory.appendingPathComponent(item.name)
      do {
        let original = try LumaReader(item.media)
        let redacted = try LumaReader(outputURL, size: (original.width, original.height))
        var frame = 0
        while let before = try original.next() {
          guard let after = try redacted.next() else {
            throw BlindspotError(.badInput, subject: outputURL.path, reason: "the output has fewer frames than the input")
          }
          let results = (truth.objects[frame] ?? []).compactMap { object -> (object: GroundTruth.Object, hidden: Bool)? in
            guard let rect = object.box.pixelRect(clippedToWidth: original.width, height: original.height) else { return nil }
            let input = LumaReader.detail(before, width: original.width, height: original.height, in: rect)
            guard input > 20 else { return nil }  // a flat patch has no detail to lose
            let output = LumaReader.detail(after, width: original.width, height: original.height, in: rect)
            return (object, output < 0.2 * input)
          }
          metrics.add(frame: frame, item: item.name, pixelResults: results)
          frame += 1
        }
        frames += frame
      } catch {
        throw BlindspotError.wrapping(error, subject: outputURL.path)
      }
    }
    return EvaluationReport(items: items.count, frames: frames, metrics: metrics, seconds: Date().timeIntervalSince(started),
                            options: nil)
  }

  /// Runs every item and returns the measurements. Fails on the first item that cannot be run.
  public func evaluate(_ items: [Item]) throws(BlindspotError) -> EvaluationReport {
    var metrics = EvaluationMetrics()
    let started = Date()
    var frames = 0
    for item in items {
      frames += try evaluate(item, into: &metrics)
    }
    return EvaluationReport(items: items.count, frames: frames, metrics: metrics,
                            seconds: Date().timeIntervalSince(started), options: options)
  }

  private func evaluate(_ item: Item, into metrics: inout EvaluationMetrics) throws(BlindspotError) -> Int {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-eval-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    do {
      try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    } catch {
      throw BlindspotError(.retryableIO, subject: scratch.path, reason: "cannot create a scratch directory")
    }
    let log = scratch.appendingPathComponent("boxes.jsonl")
    let anonymizer = Anonymizer(options: options, detectors: detectors)
    let sidecar = try anonymizer.run(.file(item.media, output: scratch.appendingPathComponent("out.nut"), detectionsLog: log))
    let boxes = try Self.readBoxes(log)

    let truth: GroundTruth
    if let videoTruth = item.truth {
      truth = videoTruth
    } else {
      let size: (Int, Int)
      do {
        let stream = try Demuxer(url: item.media.path).bestVideoStream()
        size = (stream.width, stream.height)
      } catch {
        throw BlindspotError.wrapping(error, subject: item.media.path)
      }
      truth = GroundTruth(width: size.0, height: size.1, frameCount: 1, objects: [0: item.imageObjects ?? []])
    }
    let frameCount = max(sidecar.counts.frames, truth.frameCount)
    for frame in 0..<frameCount {
      metrics.add(frame: frame, item: item.name, objects: truth.objects[frame] ?? [], boxes: boxes[frame] ?? [],
                  width: truth.width, height: truth.height)
    }
    return sidecar.counts.frames
  }

  /// The redaction boxes per frame, from a detections log.
  static func readBoxes(_ url: URL) throws(BlindspotError) -> [Int: [(ObjectClass, Box)]] {
    struct Line: Decodable {
      var frame: Int
      var `class`: ObjectClass
      var box: [Double]
    }
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw BlindspotError(.retryableIO, subject: url.path, reason: "cannot read the detections log")
    }
    var boxes: [Int: [(ObjectClass, Box)]] = [:]
    let decoder = JSONDecoder()
    for line in text.split(separator: "\n") {
      guard let parsed = try? decoder.decode(Line.self, from: Data(line.utf8)), parsed.box.count == 4 else {
        throw BlindspotError(.retryableIO, subject: url.path, reason: "unreadable detections log line")
      }
      boxes[parsed.frame, default: []].append((parsed.class, Box(x: parsed.box[0], y: parsed.box[1], width: parsed.box[2], height: parsed.box[3])))
    }
    return boxes
  }
}
