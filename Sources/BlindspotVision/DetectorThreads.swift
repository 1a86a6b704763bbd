import CVision
import Synchronization

/// How many threads OpenCV runs each detector on, for the whole process.
///
/// OpenCV's default is one per core, and it stays the default: the decoder and x264 run at the
/// same time and compete for those cores, but on 2 cores one detector thread saved only 7% of the
/// CPU time while the detect stage, already the slowest, took longer and the run went from 10.5
/// to 8.5 fps (README, "Measured results"). `blindspot bench --detector-threads N` measures it.
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
