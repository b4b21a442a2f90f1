import CaseLedger

/// The ticket moved up a level, to a new assignee.
public struct TicketEscalated: DomainEvent, Hashable {
    public static let eventType = "TicketEscalated"

    /// The ticket.
    public var ticketID: String
    /// The level it leaves.
    public var fromLevel: Level
    /// The higher level.
    public var toLevel: Level
    /// The new assignee.
    public var assigneeID: String
    /// Whether the new assignee is a center.
    public var assigneeIsCenter: Bool
    /// Why.
    public var reason: EscalationReason
    /// The new deadline.
    public var deadline: Timestamp

    /// Creates the event.
    public init(ticketID: String, fromLevel: Level, toLevel: Level, assigneeID: String, assigneeIsCenter: Bool, reason: EscalationReason, deadline: Timestamp) {
        self.ticketID = ticketID
        self.fromLevel = fromLevel
        self.toLevel = toLevel
        self.assigneeID = assigneeID
        self.assigneeIsCenter = assigneeIsCenter
        self.reason = reason
        self.deadline = deadline
    }
}
