import CaseLedger

/// The check-up examined the enterprise.
public struct CheckupConducted: DomainEvent, Hashable {
    public static let eventType = "CheckupConducted"

    /// The check-up.
    public var checkupID: String
    /// The areas examined.
    public var areas: [CheckupArea]

    /// Creates the event.
    public init(checkupID: String, areas: [CheckupArea]) {
        self.checkupID = checkupID
        self.areas = areas
    }
}
