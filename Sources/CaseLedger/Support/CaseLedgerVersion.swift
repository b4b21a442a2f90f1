/// The library's version.
public enum CaseLedgerVersion {
    /// The version string written into manifests.
    public static let current = "0.2.0"
}
