import CaseLedger

/// What the ticket board keeps of one ticket that is not closed.
public struct TicketRecord: Codable, Sendable, Hashable {
    public var step: TicketStep
    public var level: Level
    public var category: TicketCategory
    public var channel: Channel
    public var centerID: String
    public var assigneeID: String
    public var assigneeIsCenter: Bool
    public var isClue: Bool
    public var filedAt: Int64
    public var stepEnteredAt: Int64
    public var deadline: Int64?
    public var outcome: Outcome?
    public var settledLevel: Level?
    public var firstChecked: Bool
    public var reviewed: Bool
}
