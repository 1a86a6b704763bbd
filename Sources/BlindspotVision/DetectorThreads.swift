import CVision
import Synchronization

/// How many threads OpenCV runs each detector on, for the whole process.
///
/// OpenCV's default is one per core. The decoder and the encoder run at the same time, and x264
/// alone takes every core it is given, so on a small machine fewer detector threads can waste
/// less time in contention; `blindspot bench --detector-threads N` measures it.
public enum DetectorThreads {
  private static let configured = Atomic<Int>(0)

  /// The count detectors loaded from now on use; nil: OpenCV's default.
  public static var count: Int? {
    get {
      let value = configured.load(ordering: .relaxed)
      return value > 0 ? value : nil
    }
    set { configured.store(max(0, newValue ?? 0), ordering: .relaxed) }
  }

  /// Hands the count to OpenCV; every detector does this as it loads.
  /// The corresponding C function is `bs_set_thread_count`.
  static func apply() { bs_set_thread_count(Int32(count ?? 0)) }
}
