/// How a ticket was concluded.
public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// resolved
    case resolved
    /// settled by mediation
    case mediated
    /// not resolved
    case notResolved

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
