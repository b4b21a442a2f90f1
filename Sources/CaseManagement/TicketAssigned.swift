import CaseLedger

/// The ticket went to a unit or a center at a level (assignment, 交).
public struct TicketAssigned: DomainEvent, Hashable {
    public static let eventType = "TicketAssigned"

    /// The ticket.
    public var ticketID: String
    /// The unit or center.
    public var assigneeID: String
    /// Whether the assignee is a governance center (else a unit).
    public var assigneeIsCenter: Bool
    /// The level handling it.
    public var level: Level
    /// When it must be concluded.
    public var deadline: Timestamp

    /// Creates the event.
    public init(ticketID: String, assigneeID: String, assigneeIsCenter: Bool, level: Level, deadline: Timestamp) {
        self.ticketID = ticketID
        self.assigneeID = assigneeID
        self.assigneeIsCenter = assigneeIsCenter
        self.level = level
        self.deadline = deadline
    }
}
