import CaseLedger

/// The ticket's risk was judged (assessment, 研).
public struct TicketAssessed: DomainEvent, Hashable {
    public static let eventType = "TicketAssessed"

    /// The ticket.
    public var ticketID: String
    /// The risk level.
    public var risk: RiskLevel
    /// A large-scale risk flagged early.
    public var earlyWarning: Bool

    /// Creates the event.
    public init(ticketID: String, risk: RiskLevel, earlyWarning: Bool) {
        self.ticketID = ticketID
        self.risk = risk
        self.earlyWarning = earlyWarning
    }
}
