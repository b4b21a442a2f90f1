import CaseLedger

/// What the city holds about each citizen who filed a ticket or gave a
/// rating: their tickets with what they asked (personal data, kept sealed
/// as the log holds it) and how many ratings they gave. The one read model
/// that holds personal data, so it is the one that must forget: on
/// ``PersonalDataErased`` it drops the subject's row, and a rebuild after
/// forgetting never makes it again.
///
/// ```swift
/// try await engine.register(CitizenFilesProjection())
/// let file = await engine.row("citizen-00017", of: CitizenFilesProjection.self, in: \.citizens)
/// print(file?.tickets["2025-000001"]?.opened(with: vault).text ?? "[erased]")
/// ```
public struct CitizenFilesProjection: Projection {
    public static let name = "citizen-files"
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["ticket", "evaluation", "personal"]) }
    public func initialState() -> CitizenFiles { CitizenFiles() }

    public func handlers() -> EventHandlers<CitizenFiles> {
        var h = EventHandlers<CitizenFiles>()
        // Neither handler decrypts: a summary is kept as the log holds it,
        // and a rating is counted for the subject whose key sealed its rater.
        h.on(TicketFiled.self) { e, _, files in
            files.citizens[e.filerID, default: CitizenFiles.Citizen()].tickets[e.ticketID] = e.summary
        }
        h.on(RatingSubmitted.self) { e, _, files in
            // A forgotten rater reads as erased: the rating names no one.
            guard let rater = e.raterID?.subject else { return }
            files.citizens[rater, default: CitizenFiles.Citizen()].ratings += 1
        }
        h.on(PersonalDataErased.self) { e, _, files in
            files.citizens.removeValue(forKey: e.subject)
        }
        return h
    }
}

/// Each citizen's tickets and ratings, by citizen id: the state of
/// ``CitizenFilesProjection``.
public struct CitizenFiles: Codable, Sendable, Hashable, KeyedReadModel {
    /// One citizen's file.
    public struct Citizen: Codable, Sendable, Hashable {
        /// What the citizen asked, by ticket id: sealed as the log holds it
        /// (open it with the vault; see ``PersonalText/opened(with:)``).
        public var tickets: [String: PersonalText] = [:]
        /// The ratings the citizen gave.
        public var ratings = 0
    }

    /// The files, by citizen id.
    public var citizens = ReadModelTable<Citizen>()

    /// An empty state.
    public init() {}

    public static let tables: [ReadModelTableKey<CitizenFiles>] = [.table("citizens", \.citizens)]
}
