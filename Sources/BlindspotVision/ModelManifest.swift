/// The schema of `models/manifest.json`: which model files exist, where they come from, and how
/// to run them. The fetch script installs the files and a copy of this manifest side by side.
public struct ModelManifest: Codable, Sendable {
  public var models: [Entry]

  public struct Entry: Codable, Sendable {
    public var id: String
    /// "face" or "plate".
    public var task: String
    /// How outputs are decoded: "centerface" or "ssd".
    public var architecture: String
    public var licence: String
    public var files: [File]
    public var input: Input
    /// Score above which a detection counts, unless the user sets a threshold.
    public var scoreThreshold: Double?
    /// SSD only: the label that means this task's object; nil accepts every non-background label.
    public var classID: Int?

    enum CodingKeys: String, CodingKey {
      case id, task, architecture, licence, files, input
      case scoreThreshold = "score_threshold"
      case classID = "class_id"
    }

    public var objectClass: ObjectClass? { ObjectClass(rawValue: task) }
    public var modelFile: File? { files.first { $0.role == "model" } }
    public var configFile: File? { files.first { $0.role == "config" } }
  }

  public struct File: Codable, Sendable {
    /// "model" (weights) or "config" (a Caffe prototxt).
    public var role: String
    public var name: String
    public var sha256: String
  }

  public struct Input: Codable, Sendable {
    public var width: Int
    public var height: Int
    /// "rgb" or "bgr": the channel order the network expects.
    public var channels: String
    public var mean: [Double]
    public var scale: Double
    /// Fully convolutional networks take any size that is a multiple of this; nil means fixed.
    public var multipleOf: Int?

    enum CodingKeys: String, CodingKey {
      case width, height, channels, mean, scale
      case multipleOf = "multiple_of"
    }
  }
}
