import CaseLedger

/// Folds ratings into ``EvaluationScores``. A rating of an officer counts for
/// the officer and for the officer's unit.
public struct EvaluationScoresProjection: Projection {
    public static let name = "evaluation-scores"
    /// Reads no personal field: they stay sealed as it folds.
    public var opensPersonalData: Bool { false }
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["evaluation"]) }
    public func initialState() -> EvaluationScores { EvaluationScores() }

    public func handlers() -> EventHandlers<EvaluationScores> {
        var h = EventHandlers<EvaluationScores>()
        h.on(RatingSubmitted.self) { e, context, scores in
            guard (1...5).contains(e.score) else {
                throw ProjectionError(projection: Self.name, position: context.position, message: "rating \(e.score) out of range")
            }
            scores.ratings += 1
            if e.clueTicketID != nil { scores.clues += 1 }
            scores.units[e.unitID, default: Score()].add(e.score)
            if let officer = e.officerID {
                scores.officers[officer, default: Score()].add(e.score, unitID: e.unitID, isLeader: e.isLeader)
            }
            let date = context.recordedAt.calendarDate
            scores.byMonth[date.year * 100 + date.month, default: Score()].add(e.score)
        }
        return h
    }
}
