import CaseLedger

/// The enterprise's credit was repaired.
public struct CreditRepaired: DomainEvent, Hashable {
    public static let eventType = "CreditRepaired"

    /// The case.
    public var caseID: String

    /// Creates the event.
    public init(caseID: String) {
        self.caseID = caseID
    }
}
