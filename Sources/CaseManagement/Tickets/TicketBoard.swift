import CaseLedger

/// The ticket board's state: open tickets, rates, levels and step times.
///
/// Rates follow DOMAIN.md: completion rate (办结率) = concluded / accepted;
/// dispute resolution rate (化解率) = disputes concluded resolved or mediated
/// / disputes concluded. A reopened ticket counts as open again until it is
/// concluded anew, so a ticket is settled at one level only.
public struct TicketBoard: Codable, Sendable, Hashable, KeyedReadModel {
    /// Tickets not yet closed, by id.
    public var open = ReadModelTable<TicketRecord>()
    /// Tickets accepted, by channel.
    public var acceptedByChannel: [Channel: Int] = [:]
    /// Tickets currently concluded or closed, by channel.
    public var concludedByChannel: [Channel: Int] = [:]
    /// Dispute tickets concluded.
    public var disputesConcluded = 0
    /// Dispute tickets concluded resolved or mediated.
    public var disputesResolved = 0
    /// Concluded tickets by the level where they were settled.
    public var settledByLevel: [Level: Int] = [:]
    /// Time spent in each step, in whole hours → tickets.
    public var stepHours: [TicketStep: [Int64: Int]] = [:]
    /// Clue loops closed by the filer's return rating.
    public var clueLoopsClosedByRating = 0
    /// Clue loops closed when the return-rating deadline lapsed.
    public var clueLoopsLapsed = 0
    /// Large-scale risks flagged early.
    public var earlyWarnings = 0
    /// Escalations.
    public var escalations = 0
    /// Supervision reminders.
    public var reminders = 0
    /// Tickets reopened by a bad rating.
    public var reopened = 0
    /// Ratings given to concluded tickets: count and sum.
    public var ratings = 0
    public var ratingSum = 0
    /// Hardship tickets concluded resolved, and suggestions accepted, from the evaluation app.
    public var hardshipsSolved = 0
    public var suggestionsCollected = 0
    /// The recorded-at time of the last event folded (µs), the board's "now".
    public var asOf: Int64 = 0

    /// The ticket closed by the last rating, kept for the reopening that may
    /// follow it in the same append.
    public struct ClosedTicket: Codable, Sendable, Hashable {
        public var id: String
        public var record: TicketRecord
    }
    public var lastClosed: ClosedTicket?

    public init() {}

    /// The ticket rows are saved row by row; they can be read by the unit
    /// or center they are assigned to (secondary key `assignee`).
    public static let tables: [ReadModelTableKey<TicketBoard>] = [
        .table("tickets", \.open, secondaryKeys: ["assignee": { $0.assigneeID.isEmpty ? nil : $0.assigneeID }]),
    ]

    /// Tickets accepted in all.
    public var accepted: Int { acceptedByChannel.values.reduce(0, +) }
    /// Tickets concluded in all.
    public var concluded: Int { concludedByChannel.values.reduce(0, +) }

    /// Completion rate on the order-taking platform (the article's 98.37%).
    public var platformCompletionRate: Double {
        let a = acceptedByChannel[.orderPlatform] ?? 0
        return a == 0 ? 0 : Double(concludedByChannel[.orderPlatform] ?? 0) / Double(a)
    }

    /// Completion rate over every channel.
    public var completionRate: Double { accepted == 0 ? 0 : Double(concluded) / Double(accepted) }

    /// Dispute resolution rate (the article's 96.75%).
    public var disputeResolutionRate: Double {
        disputesConcluded == 0 ? 0 : Double(disputesResolved) / Double(disputesConcluded)
    }

    /// Tickets not concluded (open steps), by step.
    public var openByStep: [TicketStep: Int] { count { $0.step < .concluded ? $0.step : nil } }
    /// Tickets not concluded, by level.
    public var openByLevel: [Level: Int] { count { $0.step < .concluded ? $0.level : nil } }
    /// Tickets not concluded, by category.
    public var openByCategory: [TicketCategory: Int] { count { $0.step < .concluded ? $0.category : nil } }
    /// Tickets not concluded, by assigned unit.
    public var openByUnit: [String: Int] { count { $0.step < .concluded && !$0.assigneeIsCenter && !$0.assigneeID.isEmpty ? $0.assigneeID : nil } }
    /// Tickets not concluded, by assigned center (or the accepting center before assignment).
    public var openByCenter: [String: Int] { count { $0.step < .concluded ? ($0.assigneeIsCenter ? $0.assigneeID : ($0.assigneeID.isEmpty ? $0.centerID : nil)) : nil } }
    /// Tickets not concluded whose deadline has passed, as of the last event.
    public var overdue: Int { open.values.filter { $0.step < .concluded && ($0.deadline ?? .max) < asOf }.count }
    /// Tickets not concluded.
    public var openCount: Int { open.values.filter { $0.step < .concluded }.count }

    /// The median time spent in each step, in hours.
    public var medianHoursByStep: [TicketStep: Int64] {
        var out: [TicketStep: Int64] = [:]
        for (step, histogram) in stepHours {
            let total = histogram.values.reduce(0, +)
            var seen = 0
            for (hours, n) in histogram.sorted(by: { $0.key < $1.key }) {
                seen += n
                if seen * 2 >= total {
                    out[step] = hours
                    break
                }
            }
        }
        return out
    }

    private func count<K: Hashable>(_ key: (TicketRecord) -> K?) -> [K: Int] {
        var out: [K: Int] = [:]
        for record in open.values {
            if let k = key(record) { out[k, default: 0] += 1 }
        }
        return out
    }
}
