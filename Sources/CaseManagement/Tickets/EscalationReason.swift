import CaseLedger

/// Why a ticket moved up a level.
public enum EscalationReason: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// its deadline passed (supervision)
    case overdue
    /// the level could not settle it
    case complexity
}
