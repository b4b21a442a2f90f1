import CaseLedger

/// How serious a risk point is.
public enum Severity: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// low
    case low
    /// medium
    case medium
    /// high
    case high
}
