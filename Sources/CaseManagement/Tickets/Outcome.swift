import CaseLedger

/// How a ticket was concluded.
public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// resolved
    case resolved
    /// settled by mediation
    case mediated
    /// not resolved
    case notResolved
}
