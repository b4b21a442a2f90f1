import CaseLedger

/// Scores of units and officers from citizens' ratings (评议).
public struct EvaluationScores: Codable, Sendable, Hashable, KeyedReadModel {
    /// Per unit.
    public var units = ReadModelTable<Score>()
    /// Per officer (leaders included, flagged).
    public var officers = ReadModelTable<Score>()
    /// Ratings in all.
    public var ratings = 0
    /// Ratings that carried a problem clue.
    public var clues = 0
    /// Ratings per month (202503 for March 2025 → score), the trend.
    public var byMonth: [Int: Score] = [:]

    public init() {}

    /// Unit and officer scores are saved row by row.
    public static let tables: [ReadModelTableKey<EvaluationScores>] = [.table("units", \.units), .table("officers", \.officers)]

    /// A ranked entry.
    public struct Ranked: Codable, Sendable, Hashable {
        public var id: String
        public var rank: Int
        public var count: Int
        public var mean: Double
    }

    static func rank(_ scores: [String: Score]) -> [Ranked] {
        let sorted = scores.sorted { a, b in
            if a.value.mean != b.value.mean { return a.value.mean > b.value.mean }
            if a.value.count != b.value.count { return a.value.count > b.value.count }
            return a.key < b.key
        }
        return sorted.enumerated().map { Ranked(id: $0.element.key, rank: $0.offset + 1, count: $0.element.value.count, mean: $0.element.value.mean) }
    }

    /// Units ranked by mean rating (then count, then id).
    public var unitRanking: [Ranked] { Self.rank(units.rows) }
    /// Officers who are not leaders, ranked.
    public var officerRanking: [Ranked] { Self.rank(officers.rows.filter { !$0.value.isLeader }) }
    /// Leaders (一把手), ranked apart.
    public var leaderRanking: [Ranked] { Self.rank(officers.rows.filter { $0.value.isLeader }) }
    /// The mean of every rating.
    public var mean: Double {
        let (n, s) = units.values.reduce((0, 0)) { ($0.0 + $1.count, $0.1 + $1.sum) }
        return n == 0 ? 0 : Double(s) / Double(n)
    }
}
