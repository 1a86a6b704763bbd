import BlindspotMedia
import BlindspotVision
import Foundation

/// Everything that decides how one input is anonymized. Recorded in the sidecar.
public struct AnonymizeOptions: Sendable, Codable, Equatable {
  /// What the pipeline does with a frame whose detection failed.
  public enum DetectorFailurePolicy: String, Codable, Sendable, CaseIterable {
    /// Paint the whole frame black and go on (fail closed, the output stays complete).
    case mask
    /// Stop and leave no output (exit 3).
    case abort
  }

  public var encoder = EncoderSettings()
  /// Container name for FFmpeg ("mp4", "mov", "matroska", "mpegts"); nil picks it from the output name.
  public var format: String?
  /// Input container, for inputs without a name to guess from (standard input).
  public var inputFormat: String?
  public var style: RedactionStyle = .blur
  /// Classes to redact; kept sorted and unique so the sidecar's bytes are stable.
  public var classes: [ObjectClass] = [.face, .plate] {
    didSet { classes = Array(Set(classes)).sorted() }
  }
  /// Growth of each detected box on every side, as a fraction of its size: faces grow enough
  /// to cover hair and chin, plates enough to cover the plate frame.
  public var margins: [ObjectClass: Double] = [.face: 0.25, .plate: 0.15]
  /// Score thresholds per class; a missing class uses the model's default.
  public var thresholds: [ObjectClass: Double] = [:]
  /// Score hysteresis: detections down to this fraction of a class's threshold continue a track
  /// that a detection over the threshold started (where they overlap it), but start one only by
  /// recurring (`weakConfirmations`). An
  /// object whose score wavers around the threshold (motion blur, a glancing angle, a half-hidden
  /// face) stays covered without the false positives a lower threshold brings: on the full
  /// evaluation set, 0.6 took plates ≥ 40 px from 7.9% to 4.8% leaked, 30–40 px from 5.1% to 1.9%
  /// and faces ≥ 24 px from 8.2% to 4.5%, with less of the frame redacted outside the truth.
  /// nil or 1: off (what sidecars written before this option existed did).
  public var scoreHysteresis: Double? = 0.6
  /// Per class: weak detections (under the threshold, over the hysteresis floor) that recur in
  /// one place on this many detector runs in a row start a track after all, reaching back to the
  /// first of them (`TrackerConfiguration.weakConfirmations`). A heavily motion-blurred plate
  /// scores under the threshold frame after frame: on the full evaluation set, 6 runs for plates
  /// took plates ≥ 40 px from 2.95% to 1.65% leaked, for 9.2% → 9.6% of the frame blurred outside
  /// the truth. A class not listed, or 0: a weak detection never starts a track (what sidecars
  /// written before this option existed did, decoding as nil).
  public var weakConfirmations: [ObjectClass: Int]? = [.plate: 6]
  public var faceModel = "centerface"
  public var plateModel = "blindspot-plates-v2"
  /// A second model that judges each plate box from the context around it (`models/plates/`,
  /// "A verifier on the detector's boxes"): a box it turns down counts as weak, so it continues a
  /// plate's track but starts one only by recurring (`weakConfirmations`). nil: none (what
  /// sidecars written before this option existed did).
  public var plateVerifier: String?
  /// Run detection on every k-th frame; the tracker places boxes on the frames between.
  /// 3 keeps the face leak rate of the evaluation set at the k = 1 level for a third of the cost.
  public var detectEvery = 3
  /// Detect sooner than every `detectEvery` frames when the scene or a track moves fast, later
  /// when the scene is static or empty (see `AdaptiveCadence`); nil: exactly every k-th frame.
  /// Sidecars written before this option existed decode as nil, which is what they did.
  public var adaptiveCadence: AdaptiveCadence? = AdaptiveCadence()
  /// How long frames wait, in seconds, so that a detection can reach back to the frames before
  /// it (at least `detectEvery` frames).
  public var lookAheadSeconds = 0.5
  /// How long a track is still redacted after its last detection, and reached back before its first.
  public var trackKeepAliveSeconds = 0.5
  /// Mean absolute thumbnail difference (0–255) that counts as a scene cut.
  public var sceneCutThreshold = 40.0
  /// Long side of the image the face detector sees (and the plate detector, when
  /// `plateDetectionLongSide` is nil): 960 keeps faces of 24 px in a 960-wide frame at their own
  /// size; at 640 they shrink below what CenterFace finds (16% of them leaked on the evaluation set).
  public var detectionLongSide = 960
  /// Largest long side of the image the plate detector sees: larger frames are shrunk to it,
  /// smaller ones enlarged toward `plateEnlargementLongSide`, and those between the two are seen
  /// at their own size. Plates are wide and short, so a 40 px plate in a 1080p frame seen at 960 is
  /// 20×5 px: on the full evaluation set, 1440 halves the leak of plates ≥ 40 px (15.0% → 7.9%) and
  /// 30–40 px (23.4% → 5.1%). The price is speed: 13.2 → 10.8 fps on the 1080p sample on two cores
  /// (README), a larger plate pass and more plate tracks. 1920 (1080p whole) leaks fewer still
  /// (2.95% → 1.93% at ≥ 40 px) for another third of the 1080p speed, so it is not the default.
  /// Sidecars written before this option existed decode as nil: the plate detector saw `detectionLongSide`.
  public var plateDetectionLongSide: Int? = 1440
  /// The long side toward which the plate detector enlarges smaller frames (at most
  /// `plateDetectionLongSide`). Apart from the largest size, because the plate model's recall
  /// depends on the plate's size in its input: 720p seen at 1.5× leaks more large plates than at
  /// 1.125× (full evaluation set, ≥ 80 px: 11.9% against 2.7%), while 1080p seen at its own size
  /// leaks fewer plates ≥ 40 px than at 1440 (2.5% against 4.6%). `plateDetectionLongSide`
  /// 1920 with this at 1440 gets both.
  /// Sidecars written before this option existed decode as nil: `plateDetectionLongSide`.
  public var plateEnlargementLongSide: Int? = 1440
  /// How much the plate detector may enlarge a frame smaller than `plateEnlargementLongSide` (1:
  /// never). The plate model finds plates best at 60–240 px; in low-resolution video they are
  /// smaller: on the small evaluation set (640 and 960 px wide clips), 2 took plates ≥ 40 px from
  /// 17.7% to 0.9% leaked, with less of the frame redacted outside the truth; on the full set
  /// (only its 720p clips change, enlarged 1.125×) from 3.9% to 3.0%. The price is a larger plate
  /// pass: 4.6 → 15.8 ms per frame on a 640×360 clip, 23.9 → 26.1 on a 720p one (README).
  /// Sidecars written before this option existed decode as nil: never enlarged.
  public var plateDetectionMaxEnlargement: Double? = 2
  /// Also detect on an N×N grid of tiles (1: off), for small objects in large frames.
  public var tiles = 1
  public var onDetectorError: DetectorFailurePolicy = .mask
  /// Copy audio streams bit-exact; dropped by default.
  public var keepAudio = false
  /// The sensor policy file applied to embedded telemetry, recorded for the sidecar; none drops it.
  public var sensorPolicyFile: String?

  public init() {}

  /// The long side of the image the detector of `objectClass` sees.
  public func detectionLongSide(for objectClass: ObjectClass) -> Int {
    switch objectClass {
    case .face: detectionLongSide
    case .plate: plateDetectionLongSide ?? detectionLongSide
    }
  }

  /// The long side toward which the detector of `objectClass` enlarges a smaller frame.
  public func enlargementLongSide(for objectClass: ObjectClass) -> Int {
    let longSide = detectionLongSide(for: objectClass)
    return switch objectClass {
    case .face: longSide
    case .plate: min(plateEnlargementLongSide ?? longSide, longSide)
    }
  }

  /// The largest factor by which the detector of `objectClass` enlarges a small frame.
  public func detectionMaxEnlargement(for objectClass: ObjectClass) -> Double {
    switch objectClass {
    case .face: 1
    case .plate: plateDetectionMaxEnlargement ?? 1
    }
  }

  /// The verifier of `objectClass`'s boxes, if any.
  public func verifierID(for objectClass: ObjectClass) -> String? {
    switch objectClass {
    case .face: nil
    case .plate: plateVerifier
    }
  }

  public func modelID(for objectClass: ObjectClass) -> String {
    switch objectClass {
    case .face: faceModel
    case .plate: plateModel
    }
  }

  /// The file extension that goes with `format`, for outputs named after their input.
  public var formatExtension: String? {
    switch format {
    case nil: nil
    case "matroska", "mkv": "mkv"
    case "mpegts", "ts": "ts"
    case let other?: other
    }
  }
}
