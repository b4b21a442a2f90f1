import CaseLedger

/// An area an enterprise legal check-up (法治体检) examines.
public enum CheckupArea: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// labour rights
    case labourRights
    /// contract risk
    case contractRisk
    /// regulatory compliance
    case compliance
    /// intellectual property
    case intellectualProperty
    /// tax and finance
    case taxAndFinance
}
