import CaseLedger

/// An officer took the ticket (handling starts; an order is taken, 接单).
public struct TicketTaken: DomainEvent, Hashable {
    public static let eventType = "TicketTaken"

    /// The ticket.
    public var ticketID: String
    /// The officer.
    public var officerID: String

    /// Creates the event.
    public init(ticketID: String, officerID: String) {
        self.ticketID = ticketID
        self.officerID = officerID
    }
}
