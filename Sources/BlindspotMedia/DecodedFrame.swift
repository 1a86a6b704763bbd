import CFFmpeg

/// A decoded picture straight out of the decoder: raw pixels that may show faces and plates.
///
/// Important: this type is how invariant 1 ("raw frames never leave process memory") is kept.
/// It is non-copyable, exposes no pixel pointer, and nothing in the media layer accepts it for
/// output: the encoder takes only a `RedactedFrame`, and the only way to make one is to consume a
/// `DecodedFrame` through `redacted(by:)`. Detectors see a downscaled copy through
/// `DetectionScaler`, inside a closure, and never the frame itself.
///
/// Ownership moves with the value, so it may cross threads (the unique owner hands it on).
public struct DecodedFrame: ~Copyable, @unchecked Sendable {
  // This is safe to send: the struct is non-copyable, so exactly one owner holds the AVFrame.
  let raw: UnsafeMutablePointer<AVFrame>

  init(taking frame: UnsafeMutablePointer<AVFrame>) { raw = frame }

  deinit {
    var frame: UnsafeMutablePointer<AVFrame>? = raw
    av_frame_free(&frame)
  }

  public var width: Int { Int(raw.pointee.width) }
  public var height: Int { Int(raw.pointee.height) }
  public var pixelFormat: PixelFormat { PixelFormat(rawValue: raw.pointee.format) }
  /// Presentation timestamp in the stream's time base (the decoder's best effort).
  public var pts: Int64 { raw.pointee.pts }
  public var isKeyframe: Bool { raw.pointee.key_frame != 0 }

  /// The H.264/HEVC "user data unregistered" SEI payloads the decoder attached to this frame
  /// (16-byte UUID, then the data), copied out: where cameras embed telemetry such as GPS. They
  /// are read here so the sensor policy can handle them; `redacted(by:)` removes them from the frame.
  /// The corresponding C constant is `AV_FRAME_DATA_SEI_UNREGISTERED`.
  public var unregisteredUserData: [[UInt8]] {
    (0..<Int(raw.pointee.nb_side_data)).compactMap { index in
      guard let entry = raw.pointee.side_data[index]?.pointee, entry.type == AV_FRAME_DATA_SEI_UNREGISTERED,
            let data = entry.data else { return nil }
      return Array(UnsafeBufferPointer(start: data, count: Int(entry.size)))
    }
  }

  /// Edits the pixels in place and turns the frame into one the encoder accepts.
  ///
  /// The frame is made writable first: a decoded picture may still be a reference the decoder
  /// predicts later frames from, and blurring it in place would smear faces into them.
  /// Side data (SEI user data, closed captions) and frame metadata are removed here, so nothing
  /// the camera embedded reaches the encoder by accident. `edit` receives plane views valid only
  /// during the call; a throwing `edit` destroys the frame.
  /// The corresponding C function is `av_frame_make_writable`.
  public consuming func redacted(by edit: (FramePlanes) throws -> Void) throws -> RedactedFrame {
    try check(av_frame_make_writable(raw), .output, "make frame writable")
    cff_frame_strip_side_data(raw)
    guard let layout = pixelFormat.planeLayout else {
      throw MediaError(.unsupported, operation: "redact", message: "pixel format \(pixelFormat) cannot be edited in place")
    }
    try edit(FramePlanes(frame: raw, layout: layout))
    return RedactedFrame(taking: release())
  }

  /// The frame for the encoder as it is, when nothing in it needs redacting. Its pixels are not
  /// copied (a writable frame would need a copy of every plane, about 3 MB at 1080p), and they
  /// may still be shared with the decoder's reference pictures: the encoder only reads them.
  /// Side data and metadata are removed, as in `redacted(by:)`.
  public consuming func redactedWithoutEdits() -> RedactedFrame {
    cff_frame_strip_side_data(raw)
    return RedactedFrame(taking: release())
  }

  /// Gives up ownership of the AVFrame without freeing it.
  consuming func release() -> UnsafeMutablePointer<AVFrame> {
    let frame = raw
    discard self
    return frame
  }
}

/// The planes of a frame during `DecodedFrame.redacted(by:)`. Do not let the pointers escape.
public struct FramePlanes {
  public struct Plane {
    public let data: UnsafeMutableRawPointer
    public let linesize: Int
    public let width: Int
    public let height: Int
    public let channels: Int
    public let bytesPerSample: Int
    public let shiftX: Int
    public let shiftY: Int
    public let fill: (UInt16, UInt16)
  }

  public let width: Int
  public let height: Int
  public let planes: [Plane]

  init(frame: UnsafeMutablePointer<AVFrame>, layout: PlaneLayout) {
    width = Int(frame.pointee.width)
    height = Int(frame.pointee.height)
    planes = layout.planes.enumerated().map { index, plane in
      // Chroma sizes round up: a 1919-wide 4:2:0 frame has 960 chroma columns.
      let planeWidth = -((-Int(frame.pointee.width)) >> plane.shiftX)
      let planeHeight = -((-Int(frame.pointee.height)) >> plane.shiftY)
      return Plane(data: UnsafeMutableRawPointer(cff_frame_data(frame, Int32(index))),
                   linesize: Int(cff_frame_linesize(frame, Int32(index))),
                   width: planeWidth, height: planeHeight, channels: plane.channels,
                   bytesPerSample: layout.bytesPerSample, shiftX: plane.shiftX, shiftY: plane.shiftY,
                   fill: plane.fill)
    }
  }
}

/// A frame whose sensitive regions have been redacted; the only frame type the encoder accepts.
public struct RedactedFrame: ~Copyable, @unchecked Sendable {
  // Safe to send for the same reason as DecodedFrame: a unique owner.
  let raw: UnsafeMutablePointer<AVFrame>

  /// Internal on purpose: only `DecodedFrame.redacted(by:)` and `redactedWithoutEdits()` create one.
  init(taking frame: UnsafeMutablePointer<AVFrame>) { raw = frame }

  deinit {
    var frame: UnsafeMutablePointer<AVFrame>? = raw
    av_frame_free(&frame)
  }

  public var pts: Int64 { raw.pointee.pts }
}
