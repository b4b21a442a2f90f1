import CaseLedger

/// The decision was made public (涉企行政执法公示).
public struct DecisionPublicized: DomainEvent, Hashable {
    public static let eventType = "DecisionPublicized"

    /// The case.
    public var caseID: String
    /// The publicity entry.
    public var publicityID: String

    /// Creates the event.
    public init(caseID: String, publicityID: String) {
        self.caseID = caseID
        self.publicityID = publicityID
    }
}
