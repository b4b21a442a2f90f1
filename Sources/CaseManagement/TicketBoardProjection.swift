import CaseLedger

/// Folds ticket events into the ``TicketBoard``.
public struct TicketBoardProjection: Projection {
    public static let name = "ticket-board"
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["ticket"]) }
    public func initialState() -> TicketBoard { TicketBoard() }

    public func apply(_ envelope: EventEnvelope, to board: inout TicketBoard) throws {
        let now = envelope.recordedAt.microsecondsSince1970
        if now > board.asOf { board.asOf = now }
        func move(_ id: String, to step: TicketStep, _ change: (inout TicketRecord) -> Void = { _ in }) {
            guard var record = board.open[id] else { return }
            if step != record.step {
                let hours = max(0, now - record.stepEnteredAt) / 3_600_000_000
                board.stepHours[record.step, default: [:]][hours, default: 0] += 1
                record.step = step
                record.stepEnteredAt = now
            }
            change(&record)
            board.open[id] = record
        }
        switch envelope.event {
        case let e as TicketFiled:
            board.acceptedByChannel[e.channel, default: 0] += 1
            board.open[e.ticketID] = TicketRecord(
                step: .filed, level: e.level, category: e.category, channel: e.channel, centerID: e.centerID,
                assigneeID: "", assigneeIsCenter: false, isClue: e.isClue, filedAt: now, stepEnteredAt: now,
                deadline: nil, outcome: nil, settledLevel: nil, firstChecked: false, reviewed: false)
        case let e as TicketAssessed:
            if e.earlyWarning { board.earlyWarnings += 1 }
            move(e.ticketID, to: .assessed)
        case let e as TicketAssigned:
            move(e.ticketID, to: .assigned) {
                $0.assigneeID = e.assigneeID
                $0.assigneeIsCenter = e.assigneeIsCenter
                $0.level = e.level
                $0.deadline = e.deadline.microsecondsSince1970
            }
        case let e as TicketTaken: move(e.ticketID, to: .handling)
        case let e as TicketHandled: move(e.ticketID, to: .handling)
        case is TicketReminded:
            board.reminders += 1
        case let e as TicketEscalated:
            board.escalations += 1
            guard var r = board.open[e.ticketID] else { break }
            r.level = e.toLevel
            r.assigneeID = e.assigneeID
            r.assigneeIsCenter = e.assigneeIsCenter
            r.deadline = e.deadline.microsecondsSince1970
            board.open[e.ticketID] = r
        case let e as ClueFirstChecked: board.open[e.ticketID]?.firstChecked = true
        case let e as ClueReviewed: board.open[e.ticketID]?.reviewed = true
        case let e as TicketConcluded:
            guard let r = board.open[e.ticketID] else { break }
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
            move(e.ticketID, to: .concluded) {
                $0.outcome = e.outcome
                $0.settledLevel = e.level
            }
        case let e as TicketEvaluated:
            board.ratings += 1
            board.ratingSum += e.rating
            if board.open[e.ticketID]?.isClue == true { board.clueLoopsClosedByRating += 1 }
            move(e.ticketID, to: .closed)
            board.lastClosed = board.open.removeValue(forKey: e.ticketID).map { TicketBoard.ClosedTicket(id: e.ticketID, record: $0) }
        case let e as TicketReopened:
            // A reopening follows its rating in the same append. The ticket
            // opens again and its conclusion no longer counts until it is
            // concluded anew.
            guard let closed = board.lastClosed, closed.id == e.ticketID else { break }
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
        case let e as ClueReturnRatingLapsed:
            board.clueLoopsLapsed += 1
            move(e.ticketID, to: .closed)
            board.open[e.ticketID] = nil
        default: break
        }
    }
}
