import CaseLedger

/// A ticket was accepted (intake, 匯): once, whatever the channel.
public struct TicketFiled: DomainEvent, Hashable {
    public static let eventType = "TicketFiled"

    /// The ticket's id; its stream is `ticket-<id>`.
    public var ticketID: String
    /// Where it came in.
    public var channel: Channel
    /// What it is about.
    public var category: TicketCategory
    /// The citizen or enterprise who filed it.
    public var filerID: String
    /// What was asked.
    public var summary: String
    /// The level that receives it.
    public var level: Level
    /// The governance center that accepted it.
    public var centerID: String
    /// A problem clue from the evaluation app (the clue sub-loop).
    public var isClue: Bool

    /// Creates the event.
    public init(ticketID: String, channel: Channel, category: TicketCategory, filerID: String, summary: String, level: Level, centerID: String, isClue: Bool) {
        self.ticketID = ticketID
        self.channel = channel
        self.category = category
        self.filerID = filerID
        self.summary = summary
        self.level = level
        self.centerID = centerID
        self.isClue = isClue
    }
}
