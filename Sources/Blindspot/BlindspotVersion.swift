/// The product version, recorded in every sidecar so batch runs can tell stale outputs apart.
public enum BlindspotVersion {
  public static let current = "0.1.0"
}
