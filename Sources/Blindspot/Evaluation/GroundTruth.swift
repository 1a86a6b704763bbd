import BlindspotVision
import Foundation

/// What is really on each frame of an evaluation item: the objects a perfect anonymizer hides.
///
/// Video ground truth is JSON, schema `blindspot-truth/1`, next to the clip as `CLIP.truth.json`:
///
///     {"schema": "blindspot-truth/1", "video": "clip.mp4", "width": 1280, "height": 720, "fps": 30,
///      "frames_total": 180,
///      "frames": [{"frame": 0, "objects": [{"id": "face-1", "class": "face", "box": [x, y, w, h],
///                                           "visible": 1.0, "truncated": false,
///                                           "hidden": [[x, y, w, h]]}]}],
///      "objects": [{"id": "face-1", "source": "photo.jpg"}]}
///
/// `frame` is the presentation index from 0; `box` the object's true extent in pixels, clipped to
/// the frame; `id` is stable across an object's frames; `visible` (default 1) is the share of the
/// box not hidden by occluders or the frame edge; `hidden` (optional) the parts of the box that
/// occluders cover, which nothing can leak. Frames without objects may be left out. The optional
/// top-level `objects` say where each object comes from (`source`), so a report can name it.
public struct GroundTruth: Sendable {
  public struct Object: Sendable, Equatable {
    public var id: String
    public var objectClass: ObjectClass
    public var box: Box
    public var visible: Double
    /// Parts of `box` behind occluders: redaction need not cover them.
    public var hidden: [Box]
    /// Where the object comes from (the photo an evaluation clip pasted it from), if the truth says.
    public var source: String?

    public init(id: String, objectClass: ObjectClass, box: Box, visible: Double = 1, hidden: [Box] = [],
                source: String? = nil) {
      self.id = id
      self.objectClass = objectClass
      self.box = box
      self.visible = visible
      self.hidden = hidden
      self.source = source
    }
  }

  public var width: Int
  public var height: Int
  public var frameCount: Int
  /// Objects per frame index.
  public var objects: [Int: [Object]]

  public init(width: Int, height: Int, frameCount: Int, objects: [Int: [Object]]) {
    self.width = width
    self.height = height
    self.frameCount = frameCount
    self.objects = objects
  }

  /// The same truth with the objects from `sources` not counted: they are marked invisible (as
  /// objects mostly hidden are), so they neither leak nor count as found, and a box over one is
  /// still no false positive.
  public func leavingOut(sources: Set<String>) -> GroundTruth {
    var copy = self
    copy.objects = objects.mapValues { frame in
      frame.map { object in
        guard let source = object.source, sources.contains(source) else { return object }
        var uncounted = object
        uncounted.visible = 0
        return uncounted
      }
    }
    return copy
  }

  private struct File: Decodable {
    struct Frame: Decodable {
      var frame: Int
      var objects: [FileObject]
    }
    struct FileObject: Decodable {
      var id: String?
      var `class`: String
      var box: [Double]
      var visible: Double?
      var hidden: [[Double]]?
    }
    struct Origin: Decodable {
      var id: String?
      var source: String?
    }
    var schema: String?
    var width: Int
    var height: Int
    var framesTotal: Int?
    var frames: [Frame]
    var objects: [Origin]?

    enum CodingKeys: String, CodingKey {
      case schema, width, height, frames, objects
      case framesTotal = "frames_total"
    }
  }

  /// Reads a `blindspot-truth/1` file. Errors name the file and what is wrong.
  public static func load(_ url: URL) throws -> GroundTruth {
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    } catch {
      throw BlindspotError(.badInput, subject: url.path, reason: "not a blindspot-truth/1 file (\(error))")
    }
    if let schema = file.schema, schema != "blindspot-truth/1" {
      throw BlindspotError(.badInput, subject: url.path, reason: "unknown ground-truth schema '\(schema)'")
    }
    var sources: [String: String] = [:]
    for origin in file.objects ?? [] {
      if let id = origin.id, let source = origin.source { sources[id] = source }
    }
    var objects: [Int: [Object]] = [:]
    for frame in file.frames {
      for (index, object) in frame.objects.enumerated() {
        let hidden = object.hidden ?? []
        guard let objectClass = ObjectClass(rawValue: object.class), object.box.count == 4, hidden.allSatisfy({ $0.count == 4 })
        else {
          throw BlindspotError(.badInput, subject: url.path, reason: "frame \(frame.frame): bad object class or box")
        }
        let box = Box(x: object.box[0], y: object.box[1], width: object.box[2], height: object.box[3])
        // Without ids, the n-th object of a class on each frame is taken to be the same object.
        let id = object.id ?? "\(object.class)-\(index)"
        objects[frame.frame, default: []].append(
          Object(id: id, objectClass: objectClass, box: box, visible: object.visible ?? 1,
                 hidden: hidden.map { Box(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) }, source: sources[id]))
      }
    }
    let lastFrame = (objects.keys.max() ?? -1) + 1
    return GroundTruth(width: file.width, height: file.height, frameCount: max(file.framesTotal ?? 0, lastFrame), objects: objects)
  }
}
