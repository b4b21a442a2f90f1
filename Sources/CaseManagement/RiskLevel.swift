/// The risk an assessment judges a ticket to carry.
public enum RiskLevel: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// low
    case low
    /// medium
    case medium
    /// high
    case high
    /// major: a large-scale risk
    case major

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
