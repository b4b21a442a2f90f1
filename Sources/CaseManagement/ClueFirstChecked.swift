import CaseLedger

/// The department's first check of a problem clue (部门初核).
public struct ClueFirstChecked: DomainEvent, Hashable {
    public static let eventType = "ClueFirstChecked"

    /// The ticket.
    public var ticketID: String
    /// The department.
    public var departmentID: String
    /// What it found.
    public var finding: String

    /// Creates the event.
    public init(ticketID: String, departmentID: String, finding: String) {
        self.ticketID = ticketID
        self.departmentID = departmentID
        self.finding = finding
    }
}
