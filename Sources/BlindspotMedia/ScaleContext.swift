import CFFmpeg

/// Cached `SwsContext`s, one per source/destination geometry in use (a full frame and its tiles
/// alternate, and rebuilding a context costs more than the conversion).
///
/// Not thread-safe; each stage owns its own.
final class ScaleContext {
  struct Geometry: Hashable {
    var sourceWidth: Int32, sourceHeight: Int32, sourceFormat: Int32
    var targetWidth: Int32, targetHeight: Int32, targetFormat: Int32
  }

  private var contexts: [Geometry: OpaquePointer] = [:]
  private let flags: Int32

  /// `flags` selects the filter: `SWS_AREA` averages (right for shrinking to detector input);
  /// `SWS_BICUBIC` keeps detail for same-size format conversion.
  init(flags: Int32) { self.flags = flags }

  deinit { contexts.values.forEach { sws_freeContext($0) } }

  /// The corresponding C function is `sws_getContext`.
  func prepare(_ wanted: Geometry) throws(MediaError) -> OpaquePointer {
    if let context = contexts[wanted] { return context }
    guard let made = sws_getContext(
      wanted.sourceWidth, wanted.sourceHeight, AVPixelFormat(rawValue: wanted.sourceFormat),
      wanted.targetWidth, wanted.targetHeight, AVPixelFormat(rawValue: wanted.targetFormat), flags, nil, nil, nil)
    else {
      throw MediaError(.unsupported, operation: "scale",
                       message: "cannot convert \(PixelFormat(rawValue: wanted.sourceFormat)) to \(PixelFormat(rawValue: wanted.targetFormat))")
    }
    // A stream uses a handful of geometries; a bound guards against a caller that keeps changing them.
    if contexts.count >= 16 {
      contexts.values.forEach { sws_freeContext($0) }
      contexts.removeAll()
    }
    contexts[wanted] = made
    return made
  }
}
