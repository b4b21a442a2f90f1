import CaseLedger

/// Supervision sent a reminder (supervision, 督).
public struct TicketReminded: DomainEvent, Hashable {
    public static let eventType = "TicketReminded"

    /// The ticket.
    public var ticketID: String
    /// The reminder.
    public var note: String

    /// Creates the event.
    public init(ticketID: String, note: String) {
        self.ticketID = ticketID
        self.note = note
    }
}
