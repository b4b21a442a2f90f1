/// What a generated year holds.
public struct WorkloadSummary: Sendable, Hashable, Codable {
    public var events: UInt64 = 0
    public var ratings = 0
    public var tickets = 0
    public var platformOrders = 0
    public var platformCompleted = 0
    public var disputes = 0
    public var disputesResolved = 0
    public var clues = 0
    public var checkups = 0
    public var riskPoints = 0
    public var reports = 0
    public var trainings = 0
    public var enforcementCases = 0
    public var units = 0
    public var officers = 0
    public var centers = 0
    public var enterprises = 0
    public var seconds = 0.0
}
