import CaseLedger

/// What was done while handling a ticket.
public enum HandlingAction: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// worked on
    case worked
    /// mediated
    case mediated
}
