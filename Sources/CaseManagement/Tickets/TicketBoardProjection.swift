import CaseLedger

/// Folds ticket events into the ``TicketBoard``.
public struct TicketBoardProjection: Projection {
    public static let name = "ticket-board"
    /// Reads no personal field: they stay sealed as it folds.
    public var opensPersonalData: Bool { false }
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["ticket"]) }
    public func initialState() -> TicketBoard { TicketBoard() }

    public func handlers() -> EventHandlers<TicketBoard> {
        var h = EventHandlers<TicketBoard>()
        h.on(TicketFiled.self) { e, c, board in
            let now = board.advance(to: c)
            board.acceptedByChannel[e.channel, default: 0] += 1
            board.open[e.ticketID] = TicketRecord(
                step: .filed, level: e.level, category: e.category, channel: e.channel, centerID: e.centerID,
                assigneeID: "", assigneeIsCenter: false, isClue: e.isClue, filedAt: now, stepEnteredAt: now,
                deadline: nil, outcome: nil, settledLevel: nil, firstChecked: false, reviewed: false)
        }
        h.on(TicketAssessed.self) { e, c, board in
            let now = board.advance(to: c)
            if e.earlyWarning { board.earlyWarnings += 1 }
            board.move(e.ticketID, to: .assessed, at: now)
        }
        h.on(TicketAssigned.self) { e, c, board in
            let now = board.advance(to: c)
            board.move(e.ticketID, to: .assigned, at: now) {
                $0.assigneeID = e.assigneeID
                $0.assigneeIsCenter = e.assigneeIsCenter
                $0.level = e.level
                $0.deadline = e.deadline.microsecondsSince1970
            }
        }
        h.on(TicketTaken.self) { e, c, board in
            board.move(e.ticketID, to: .handling, at: board.advance(to: c))
        }
        h.on(TicketHandled.self) { e, c, board in
            board.move(e.ticketID, to: .handling, at: board.advance(to: c))
        }
        h.on(TicketReminded.self) { _, c, board in
            board.advance(to: c)
            board.reminders += 1
        }
        h.on(TicketEscalated.self) { e, c, board in
            board.advance(to: c)
            board.escalations += 1
            guard var r = board.open[e.ticketID] else { return }
            r.level = e.toLevel
            r.assigneeID = e.assigneeID
            r.assigneeIsCenter = e.assigneeIsCenter
            r.deadline = e.deadline.microsecondsSince1970
            board.open[e.ticketID] = r
        }
        h.on(ClueFirstChecked.self) { e, c, board in
            board.advance(to: c)
            board.open[e.ticketID]?.firstChecked = true
        }
        h.on(ClueReviewed.self) { e, c, board in
            board.advance(to: c)
            board.open[e.ticketID]?.reviewed = true
        }
        h.on(TicketConcluded.self) { e, c, board in
            let now = board.advance(to: c)
            guard let r = board.open[e.ticketID] else { return }
            board.concludedByChannel[r.channel, default: 0] += 1
            board.settledByLevel[e.level, default: 0] += 1
            if r.category.isDispute {
                board.disputesConcluded += 1
                if e.outcome != .notResolved { board.disputesResolved += 1 }
            }
            if r.channel == .evaluationApp && e.outcome == .resolved {
                if r.category == .hardship { board.hardshipsSolved += 1 }
                if r.category == .suggestion { board.suggestionsCollected += 1 }
            }
            board.move(e.ticketID, to: .concluded, at: now) {
                $0.outcome = e.outcome
                $0.settledLevel = e.level
            }
        }
        h.on(TicketEvaluated.self) { e, c, board in
            let now = board.advance(to: c)
            board.ratings += 1
            board.ratingSum += e.rating
            if board.open[e.ticketID]?.isClue == true { board.clueLoopsClosedByRating += 1 }
            board.move(e.ticketID, to: .closed, at: now)
            board.lastClosed = board.open.removeValue(forKey: e.ticketID).map { TicketBoard.ClosedTicket(id: e.ticketID, record: $0) }
        }
        h.on(TicketReopened.self) { e, c, board in
            let now = board.advance(to: c)
            // A reopening follows its rating in the same append. The ticket
            // opens again and its conclusion no longer counts until it is
            // concluded anew.
            guard let closed = board.lastClosed, closed.id == e.ticketID else { return }
            var r = closed.record
            board.reopened += 1
            board.concludedByChannel[r.channel, default: 0] -= 1
            if let level = r.settledLevel { board.settledByLevel[level, default: 0] -= 1 }
            if r.category.isDispute {
                board.disputesConcluded -= 1
                if r.outcome != .notResolved { board.disputesResolved -= 1 }
            }
            if r.channel == .evaluationApp && r.outcome == .resolved {
                if r.category == .hardship { board.hardshipsSolved -= 1 }
                if r.category == .suggestion { board.suggestionsCollected -= 1 }
            }
            if r.isClue { board.clueLoopsClosedByRating -= 1 }
            r.step = .handling
            r.stepEnteredAt = now
            r.outcome = nil
            r.settledLevel = nil
            board.open[e.ticketID] = r
            board.lastClosed = nil
        }
        h.on(ClueReturnRatingLapsed.self) { e, c, board in
            let now = board.advance(to: c)
            board.clueLoopsLapsed += 1
            board.move(e.ticketID, to: .closed, at: now)
            board.open[e.ticketID] = nil
        }
        return h
    }
}
