/// How serious a risk point is.
public enum Severity: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// low
    case low
    /// medium
    case medium
    /// high
    case high

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
