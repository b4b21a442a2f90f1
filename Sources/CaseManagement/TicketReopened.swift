import CaseLedger

/// A bad rating reopened the ticket.
public struct TicketReopened: DomainEvent, Hashable {
    public static let eventType = "TicketReopened"

    /// The ticket.
    public var ticketID: String
    /// Why.
    public var reason: String

    /// Creates the event.
    public init(ticketID: String, reason: String) {
        self.ticketID = ticketID
        self.reason = reason
    }
}
