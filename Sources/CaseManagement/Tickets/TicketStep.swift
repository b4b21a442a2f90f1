/// Where a ticket stands in the seven-step closed loop (汇研交办督结评).
/// Supervision (督) runs alongside assignment and handling.
public enum TicketStep: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered {
    /// Accepted (intake, 汇).
    case filed
    /// Risk judged (assessment, 研).
    case assessed
    /// Sent to a unit or center (assignment, 交).
    case assigned
    /// Being worked (handling, 办).
    case handling
    /// Concluded (结), waiting for the filer's rating.
    case concluded
    /// Rated (评) or, for a clue, its return-rating deadline passed: the loop is closed.
    case closed
}
