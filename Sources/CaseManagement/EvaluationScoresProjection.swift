import CaseLedger

/// Folds ratings into ``EvaluationScores``. A rating of an officer counts for
/// the officer and for the officer's unit.
public struct EvaluationScoresProjection: Projection {
    public static let name = "evaluation-scores"
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["evaluation"]) }
    public func initialState() -> EvaluationScores { EvaluationScores() }

    public func apply(_ envelope: EventEnvelope, to scores: inout EvaluationScores) throws {
        guard let e = envelope.event as? RatingSubmitted else { return }
        guard (1...5).contains(e.score) else { throw ProjectionError(projection: Self.name, position: envelope.position, message: "rating \(e.score) out of range") }
        scores.ratings += 1
        if e.clueTicketID != nil { scores.clues += 1 }
        scores.units[e.unitID, default: Score()].add(e.score)
        if let officer = e.officerID {
            var s = scores.officers[officer] ?? Score()
            s.isLeader = e.isLeader
            s.unitID = e.unitID
            s.add(e.score)
            scores.officers[officer] = s
        }
        let date = envelope.recordedAt.calendarDate
        scores.byMonth[date.year * 100 + date.month, default: Score()].add(e.score)
    }
}
