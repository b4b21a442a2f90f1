import CaseLedger

/// A citizen rated a unit or an officer (评议), 1 to 5.
public struct RatingSubmitted: DomainEvent, Hashable {
    public static let eventType = "RatingSubmitted"

    /// The rating's id.
    public var ratingID: String
    /// The unit rated, or the officer's unit.
    public var unitID: String
    /// The officer rated, if the rating is of an officer.
    public var officerID: String?
    /// Whether the officer is the unit's leader (一把手).
    public var isLeader: Bool
    /// 1 to 5.
    public var score: Int
    /// The ticket its problem clue opened, if any.
    public var clueTicketID: String?

    /// Creates the event.
    public init(ratingID: String, unitID: String, officerID: String? = nil, isLeader: Bool, score: Int, clueTicketID: String? = nil) {
        self.ratingID = ratingID
        self.unitID = unitID
        self.officerID = officerID
        self.isLeader = isLeader
        self.score = score
        self.clueTicketID = clueTicketID
    }
}
