import CaseLedger

/// A ticket (诉求, 线索, 矛盾纠纷) and the rules of its closed loop.
///
/// Commands are methods that check the rules against the current state and
/// return the events to append; they never change the state themselves.
///
/// Choices where the article is silent:
/// - A ticket is assigned at a level at or above the level that received it.
/// - Conclusion needs an assignment (handling may be implicit); a clue needs
///   the department's first check and the superior's review first.
/// - A rating of 1 or 2 may reopen the ticket (the filer asks for it); a
///   reopened ticket goes back to handling at its level and is concluded again.
/// - A clue closes with the filer's return rating, or when its deadline lapses.
public struct Ticket: AggregateRoot, Hashable {
    public var id = ""
    public var step: TicketStep?
    public var channel: Channel = .oneStopDesk
    public var category: TicketCategory = .suggestion
    public var level: Level = .group
    public var isClue = false
    public var firstChecked = false
    public var reviewed = false
    public var outcome: Outcome?
    public var rating: Int?
    public var reopenCount = 0
    /// Who filed it (the citizen or enterprise).
    public var filerID = ""
    /// The governance center that accepted it.
    public var centerID = ""
    /// The unit or center it is assigned to ("" before assignment).
    public var assigneeID = ""

    public init() {}

    /// Version 2 added the filer, the center and the assignee: older
    /// snapshots are ignored and the ticket is folded from its events.
    public static var snapshotSchemaVersion: UInt16 { 2 }

    /// The handlers, built once.
    static let eventHandlers = makeHandlers()

    public static func handlers() -> EventHandlers<Ticket> { eventHandlers }

    public mutating func apply(_ event: any DomainEvent) throws {
        _ = try Self.eventHandlers.apply(event, context: .unrecorded, to: &self)
    }

    static func makeHandlers() -> EventHandlers<Ticket> {
        var h = EventHandlers<Ticket>()
        h.on(TicketFiled.self) { e, _, t in
            t.id = e.ticketID
            t.step = .filed
            t.channel = e.channel
            t.category = e.category
            t.level = e.level
            t.isClue = e.isClue
            t.filerID = e.filerID
            t.centerID = e.centerID
        }
        h.on(TicketAssessed.self) { _, _, t in t.step = .assessed }
        h.on(TicketAssigned.self) { e, _, t in
            t.step = .assigned
            t.level = e.level
            t.assigneeID = e.assigneeID
        }
        h.on(TicketTaken.self) { _, _, t in t.step = .handling }
        h.on(TicketHandled.self) { _, _, t in t.step = .handling }
        h.on(TicketEscalated.self) { e, _, t in
            t.level = e.toLevel
            t.assigneeID = e.assigneeID
        }
        h.on(ClueFirstChecked.self) { _, _, t in t.firstChecked = true }
        h.on(ClueReviewed.self) { _, _, t in t.reviewed = true }
        h.on(TicketConcluded.self) { e, _, t in
            t.step = .concluded
            t.outcome = e.outcome
            t.level = e.level
        }
        h.on(TicketEvaluated.self) { e, _, t in
            t.step = .closed
            t.rating = e.rating
        }
        h.on(TicketReopened.self) { _, _, t in
            t.step = .handling
            t.outcome = nil
            t.reopenCount += 1
        }
        h.on(ClueReturnRatingLapsed.self) { _, _, t in t.step = .closed }
        return h
    }

    // MARK: Commands

    func require(_ allowed: Set<TicketStep>, _ doing: String) throws(DomainRuleError) {
        guard let step else { throw DomainRuleError(.unknownCase, "ticket \(id.isEmpty ? "?" : id) does not exist") }
        guard allowed.contains(step) else {
            throw DomainRuleError(.stepOutOfOrder, "cannot \(doing) ticket \(id): it is \(step.rawValue)")
        }
    }

    /// Intake.
    public func file(_ ticketID: String, channel: Channel, category: TicketCategory, filerID: String, summary: String,
                     level: Level, centerID: String, isClue: Bool = false) throws(DomainRuleError) -> [any DomainEvent] {
        guard step == nil else { throw DomainRuleError(.alreadyExists, "ticket \(ticketID) was already filed") }
        guard !ticketID.isEmpty, !filerID.isEmpty else { throw DomainRuleError(.invalidInput, "a ticket needs an id and a filer") }
        if isClue && channel != .evaluationApp {
            throw DomainRuleError(.wrongKindOfTicket, "problem clues come from the evaluation app")
        }
        return [TicketFiled(ticketID: ticketID, channel: channel, category: category, filerID: filerID, summary: PersonalText(summary),
                            level: level, centerID: centerID, isClue: isClue)]
    }

    /// Assessment: large-scale categories judged high or major are flagged early.
    public func assess(risk: RiskLevel) throws(DomainRuleError) -> [any DomainEvent] {
        try require([.filed], "assess")
        return [TicketAssessed(ticketID: id, risk: risk, earlyWarning: category.isLargeScale && risk >= .high)]
    }

    /// Assignment to a unit or center.
    public func assign(to assigneeID: String, isCenter: Bool, level: Level, deadline: Timestamp) throws(DomainRuleError) -> [any DomainEvent] {
        try require([.assessed], "assign")
        guard level >= self.level else {
            throw DomainRuleError(.escalationNotUpward, "ticket \(id) was received at \(self.level.rawValue) and cannot be assigned down to \(level.rawValue)")
        }
        return [TicketAssigned(ticketID: id, assigneeID: assigneeID, assigneeIsCenter: isCenter, level: level, deadline: deadline)]
    }

    /// An officer takes it (an order is taken).
    public func take(officerID: String) throws(DomainRuleError) -> [any DomainEvent] {
        try require([.assigned], "take")
        return [TicketTaken(ticketID: id, officerID: officerID)]
    }

    /// Work or mediation.
    public func handle(_ action: HandlingAction, note: String) throws(DomainRuleError) -> [any DomainEvent] {
        try require([.assigned, .handling], "handle")
        return [TicketHandled(ticketID: id, action: action, note: note)]
    }

    /// A supervision reminder.
    public func remind(note: String) throws(DomainRuleError) -> [any DomainEvent] {
        try require([.assigned, .handling], "remind about")
        return [TicketReminded(ticketID: id, note: note)]
    }

    /// Moves the ticket up a level.
    public func escalate(to level: Level, assigneeID: String, isCenter: Bool, reason: EscalationReason, deadline: Timestamp) throws(DomainRuleError) -> [any DomainEvent] {
        try require([.assigned, .handling], "escalate")
        guard level > self.level else {
            throw DomainRuleError(.escalationNotUpward, "ticket \(id) is at \(self.level.rawValue); escalation to \(level.rawValue) does not go up")
        }
        return [TicketEscalated(ticketID: id, fromLevel: self.level, toLevel: level, assigneeID: assigneeID, assigneeIsCenter: isCenter,
                                reason: reason, deadline: deadline)]
    }

    /// The department's first check of a clue.
    public func firstCheck(departmentID: String, finding: String) throws(DomainRuleError) -> [any DomainEvent] {
        guard isClue || step == nil else { throw DomainRuleError(.wrongKindOfTicket, "ticket \(id) is not a problem clue") }
        try require([.assigned, .handling], "first-check")
        guard !firstChecked else { throw DomainRuleError(.alreadyDone, "clue \(id) was already checked") }
        return [ClueFirstChecked(ticketID: id, departmentID: departmentID, finding: finding)]
    }

    /// The superior's review of the first check.
    public func review(reviewerID: String, upheld: Bool) throws(DomainRuleError) -> [any DomainEvent] {
        guard isClue || step == nil else { throw DomainRuleError(.wrongKindOfTicket, "ticket \(id) is not a problem clue") }
        try require([.assigned, .handling], "review")
        guard firstChecked else { throw DomainRuleError(.stepOutOfOrder, "clue \(id) has no first check to review") }
        guard !reviewed else { throw DomainRuleError(.alreadyDone, "clue \(id) was already reviewed") }
        return [ClueReviewed(ticketID: id, reviewerID: reviewerID, upheld: upheld)]
    }

    /// Conclusion at the ticket's current level.
    public func conclude(_ outcome: Outcome) throws(DomainRuleError) -> [any DomainEvent] {
        if step == .concluded || step == .closed {
            throw DomainRuleError(.alreadyConcluded, "ticket \(id) is already concluded")
        }
        try require([.assigned, .handling], "conclude")
        if isClue && !reviewed {
            throw DomainRuleError(.stepOutOfOrder, "clue \(id) needs the first check and the superior's review before conclusion")
        }
        return [TicketConcluded(ticketID: id, outcome: outcome, level: level)]
    }

    /// The filer's rating (for a clue: the return rating). A rating of 1 or 2
    /// reopens the ticket when `reopen` is true.
    public func evaluate(rating: Int, reopen: Bool = false) throws(DomainRuleError) -> [any DomainEvent] {
        guard (1...5).contains(rating) else { throw DomainRuleError(.invalidRating, "a rating is 1 to 5, not \(rating)") }
        guard let step else { throw DomainRuleError(.unknownCase, "ticket \(id) does not exist") }
        guard step == .concluded else {
            if step == .closed { throw DomainRuleError(.alreadyDone, "ticket \(id) was already rated") }
            throw DomainRuleError(.stepOutOfOrder, isClue && !reviewed
                ? "clue \(id) cannot get a return rating before the superior's review"
                : "ticket \(id) is still open (\(step.rawValue)); only a concluded ticket is rated")
        }
        var events: [any DomainEvent] = [TicketEvaluated(ticketID: id, rating: rating)]
        if reopen {
            guard rating <= 2 else { throw DomainRuleError(.invalidInput, "only a rating of 1 or 2 reopens a ticket") }
            events.append(TicketReopened(ticketID: id, reason: "rated \(rating) by the filer"))
        }
        return events
    }

    /// A clue's return-rating deadline passed.
    public func lapseReturnRating() throws(DomainRuleError) -> [any DomainEvent] {
        guard isClue else { throw DomainRuleError(.wrongKindOfTicket, "ticket \(id) is not a problem clue") }
        try require([.concluded], "close the loop of")
        return [ClueReturnRatingLapsed(ticketID: id)]
    }
}
