import CaseLedger

/// The ticket was concluded (conclusion, 结) at a level.
public struct TicketConcluded: DomainEvent, Hashable {
    public static let eventType = "TicketConcluded"

    /// The ticket.
    public var ticketID: String
    /// Resolved, mediated or not resolved.
    public var outcome: Outcome
    /// The level where it was settled.
    public var level: Level

    /// Creates the event.
    public init(ticketID: String, outcome: Outcome, level: Level) {
        self.ticketID = ticketID
        self.outcome = outcome
        self.level = level
    }
}
