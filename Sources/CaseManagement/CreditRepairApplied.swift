import CaseLedger

/// The enterprise applied for credit repair.
public struct CreditRepairApplied: DomainEvent, Hashable {
    public static let eventType = "CreditRepairApplied"

    /// The case.
    public var caseID: String

    /// Creates the event.
    public init(caseID: String) {
        self.caseID = caseID
    }
}
