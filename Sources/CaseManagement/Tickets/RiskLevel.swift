import CaseLedger

/// The risk an assessment judges a ticket to carry.
public enum RiskLevel: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// low
    case low
    /// medium
    case medium
    /// high
    case high
    /// major: a large-scale risk
    case major
}
