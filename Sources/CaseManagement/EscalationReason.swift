/// Why a ticket moved up a level.
public enum EscalationReason: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// its deadline passed (supervision)
    case overdue
    /// the level could not settle it
    case complexity

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
