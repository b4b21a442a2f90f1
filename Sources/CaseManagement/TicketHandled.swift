import CaseLedger

/// Work on the ticket (handling, 办).
public struct TicketHandled: DomainEvent, Hashable {
    public static let eventType = "TicketHandled"

    /// The ticket.
    public var ticketID: String
    /// Worked or mediated.
    public var action: HandlingAction
    /// What was done.
    public var note: String

    /// Creates the event.
    public init(ticketID: String, action: HandlingAction, note: String) {
        self.ticketID = ticketID
        self.action = action
        self.note = note
    }
}
