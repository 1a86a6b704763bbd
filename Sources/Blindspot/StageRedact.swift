import BlindspotMedia
import BlindspotVision

/// The redact stage: the one place a `DecodedFrame` becomes a `RedactedFrame`.
struct StageRedact {
  let redactor: Redactor

  /// Blurs `boxes`, or masks the whole frame when `maskWhole` (detection failed: fail closed).
  /// A frame with nothing to hide passes unchanged, without the copy that editing needs.
  func run(_ frame: consuming DecodedFrame, boxes: [Box], maskWhole: Bool) throws -> RedactedFrame {
    if boxes.isEmpty && !maskWhole { return frame.redactedWithoutEdits() }
    return try frame.redacted { planes in
      let views = planes.planes.map {
        RedactionPlane(data: $0.data, linesize: $0.linesize, width: $0.width, height: $0.height, channels: $0.channels,
                       bytesPerSample: $0.bytesPerSample, shiftX: $0.shiftX, shiftY: $0.shiftY, fill: $0.fill)
      }
      if maskWhole {
        try redactor.maskWholeFrame(planes: views, frameWidth: planes.width, frameHeight: planes.height)
      } else {
        try redactor.redact(boxes, planes: views, frameWidth: planes.width, frameHeight: planes.height)
      }
    }
  }
}
