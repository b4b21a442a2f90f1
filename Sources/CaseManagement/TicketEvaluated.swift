import CaseLedger

/// The filer rated the outcome (evaluation, 評); for a clue this is the return rating (群众回评).
public struct TicketEvaluated: DomainEvent, Hashable {
    public static let eventType = "TicketEvaluated"

    /// The ticket.
    public var ticketID: String
    /// 1 to 5.
    public var rating: Int

    /// Creates the event.
    public init(ticketID: String, rating: Int) {
        self.ticketID = ticketID
        self.rating = rating
    }
}
