/// Ratings of one unit or officer: count, sum and the distribution of 1–5.
public struct Score: Codable, Sendable, Hashable {
    public var count = 0
    public var sum = 0
    /// Ratings of 1, 2, 3, 4, 5.
    public var distribution: [Int] = [0, 0, 0, 0, 0]
    /// The officer is a unit's leader.
    public var isLeader = false
    /// The officer's unit (empty for a unit).
    public var unitID = ""

    public init() {}

    /// The mean rating, 0 without ratings.
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    mutating func add(_ score: Int) {
        count += 1
        sum += score
        distribution[score - 1] += 1
    }

    /// Adds an officer's rating; the officer's unit and leadership are the
    /// latest rating's.
    mutating func add(_ score: Int, unitID: String, isLeader: Bool) {
        self.isLeader = isLeader
        self.unitID = unitID
        add(score)
    }
}
