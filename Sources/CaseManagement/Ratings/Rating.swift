import CaseLedger

/// The rules of a rating (评议): a citizen rates a unit or an officer,
/// leaders included, 1 to 5, optionally with a problem clue that opens a
/// ticket in the clue sub-loop. Ratings need no history, so they are checked
/// and appended without loading a stream; `unitID` names the stream
/// `evaluation-<unit>`. The rater, when given, is personal data: sealed
/// under the rater's key when the registry has a vault.
public enum Rating {
    /// The events of one rating, by stream: the rating, and with a clue the
    /// clue ticket's intake, to append together in one transaction.
    public static func submit(
        ratingID: String, unitID: String, officerID: String?, isLeader: Bool, score: Int,
        clue: (ticketID: String, category: TicketCategory, filerID: String, summary: String, centerID: String, level: Level)? = nil,
        raterID: String? = nil
    ) throws(DomainRuleError) -> [(stream: String, event: any DomainEvent)] {
        guard (1...5).contains(score) else { throw DomainRuleError(.invalidRating, "a rating is 1 to 5, not \(score)") }
        guard !unitID.isEmpty, !ratingID.isEmpty else { throw DomainRuleError(.invalidInput, "a rating needs an id and a unit") }
        if isLeader && officerID == nil { throw DomainRuleError(.invalidInput, "a leader rating names the leader") }
        if let raterID, raterID.isEmpty { throw DomainRuleError(.invalidInput, "a rater's id is not empty") }
        var out: [(String, any DomainEvent)] = [
            ("evaluation-\(unitID)", RatingSubmitted(ratingID: ratingID, unitID: unitID, officerID: officerID, isLeader: isLeader,
                                                      score: score, clueTicketID: clue?.ticketID, raterID: raterID.map { PersonalText($0) }))
        ]
        if let clue {
            let filed = try Ticket().file(clue.ticketID, channel: .evaluationApp, category: clue.category, filerID: clue.filerID,
                                          summary: clue.summary, level: clue.level, centerID: clue.centerID, isClue: true)
            out.append(("ticket-\(clue.ticketID)", filed[0]))
        }
        return out
    }
}
