import CaseLedger

/// The superior's review of the first check (上级复核).
public struct ClueReviewed: DomainEvent, Hashable {
    public static let eventType = "ClueReviewed"

    /// The ticket.
    public var ticketID: String
    /// The reviewer.
    public var reviewerID: String
    /// Whether the finding stands.
    public var upheld: Bool

    /// Creates the event.
    public init(ticketID: String, reviewerID: String, upheld: Bool) {
        self.ticketID = ticketID
        self.reviewerID = reviewerID
        self.upheld = upheld
    }
}
