/// Where a risk point found by a check-up stands.
public enum RiskPointStatus: String, Codable, Sendable, Hashable {
    /// Found; no advice yet.
    case found
    /// Rectification advised.
    case advised
    /// Rectified and verified.
    case rectified
    /// Left open with a reason.
    case waived
}
