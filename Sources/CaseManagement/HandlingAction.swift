/// What was done while handling a ticket.
public enum HandlingAction: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// worked on
    case worked
    /// mediated
    case mediated

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
