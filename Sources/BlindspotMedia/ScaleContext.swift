import CFFmpeg

/// A cached `SwsContext` for one source/destination geometry; rebuilt only when either changes.
///
/// Not thread-safe; each stage owns its own.
final class ScaleContext {
  struct Geometry: Equatable {
    var sourceWidth: Int32, sourceHeight: Int32, sourceFormat: Int32
    var targetWidth: Int32, targetHeight: Int32, targetFormat: Int32
  }

  private var context: OpaquePointer?
  private var geometry: Geometry?
  private let flags: Int32

  /// `flags` selects the filter: `SWS_AREA` averages (right for shrinking to detector input);
  /// `SWS_BICUBIC` keeps detail for same-size format conversion.
  init(flags: Int32) { self.flags = flags }

  deinit { sws_freeContext(context) }

  /// The corresponding C function is `sws_getCachedContext`.
  func prepare(_ wanted: Geometry) throws(MediaError) -> OpaquePointer {
    if let context, geometry == wanted { return context }
    guard let made = sws_getCachedContext(
      context, wanted.sourceWidth, wanted.sourceHeight, AVPixelFormat(rawValue: wanted.sourceFormat),
      wanted.targetWidth, wanted.targetHeight, AVPixelFormat(rawValue: wanted.targetFormat), flags, nil, nil, nil)
    else {
      throw MediaError(.unsupported, operation: "scale",
                       message: "cannot convert \(PixelFormat(rawValue: wanted.sourceFormat)) to \(PixelFormat(rawValue: wanted.targetFormat))")
    }
    context = made
    geometry = wanted
    return made
  }
}
