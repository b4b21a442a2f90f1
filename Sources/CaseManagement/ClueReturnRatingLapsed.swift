import CaseLedger

/// The deadline for a clue's return rating passed; the loop closes without it.
public struct ClueReturnRatingLapsed: DomainEvent, Hashable {
    public static let eventType = "ClueReturnRatingLapsed"

    /// The ticket.
    public var ticketID: String

    /// Creates the event.
    public init(ticketID: String) {
        self.ticketID = ticketID
    }
}
