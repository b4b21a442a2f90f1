import CaseLedger

/// The decision, under one of the four lists or an ordinary penalty, with its reasoning.
public struct PenaltyDecided: DomainEvent, Hashable {
    public static let eventType = "PenaltyDecided"

    /// The case.
    public var caseID: String
    /// The list.
    public var list: PenaltyList
    /// The fine in yuan.
    public var fine: Int
    /// Facts, legal basis, list item.
    public var reasoning: DecisionReasoning

    /// Creates the event.
    public init(caseID: String, list: PenaltyList, fine: Int, reasoning: DecisionReasoning) {
        self.caseID = caseID
        self.list = list
        self.fine = fine
        self.reasoning = reasoning
    }
}
