import CaseLedger
import CaseManagement
import Foundation
import HeapModule

/// The year of the city: a seeded, deterministic generator that drives the
/// real domain commands (every invariant holds) and writes a realistic year
/// into a store.
///
/// The same configuration gives the same log, byte for byte: ids derive from
/// the seed and the stream, times from the simulated clock, and the order of
/// simultaneous steps from the order they were planned.
///
/// ```swift
/// let store = try LMDBEventStore(path: "./caseledger-data", durability: .relaxed)
/// let workload = CityWorkload(WorkloadConfiguration(scale: 0.05, seed: 7))
/// let summary = try await workload.generate(into: store) { p in print(p.events) }
/// try await store.sync()
/// ```
public struct CityWorkload: Sendable {
    /// The configuration.
    public let configuration: WorkloadConfiguration
    /// The city's units, officers, centers and enterprises.
    public let organization: CityOrganization
    let registry: EventTypeRegistry
    let yearStart: Int64
    let yearEnd: Int64
    let namespace: UUID
    let checkupEnterpriseCount: Int

    /// The figures of the article at scale 1.0.
    public enum Figures {
        public static let ratings = 750_000
        public static let platformOrders = 20_000
        public static let platformCompletionRate = 0.9837
        public static let disputeResolutionRate = 0.9675
        public static let whistleDisputes = 1_500
        public static let eveningTalkDisputes = 1_200
        public static let mediationRoomDisputes = 1_800
        public static let deskDisputes = 2_100
        public static let deskRequests = 1_400
        public static let hardshipClues = 2_100
        public static let suggestionClues = 2_400
        public static let conductClues = 500
        public static let checkups = 1_500
        public static let checkupEnterprises = 120
        public static let riskPoints = 356
        public static let reports = 85
        public static let trainings = 125
        public static let enforcementCases = 2_501
        /// Shares of the decisions: no penalty, mitigated, lighter, exempt, ordinary.
        public static let listShares = [0.30, 0.10, 0.20, 0.10, 0.30]
        public static let deliveredShare = 0.96
    }

    /// Creates the generator.
    public init(_ configuration: WorkloadConfiguration = WorkloadConfiguration()) {
        self.configuration = configuration
        self.organization = CityOrganization()
        self.registry = CaseEvents.registry()
        let start = Timestamp(year: configuration.year, month: 1, day: 1).microsecondsSince1970
        let end = Timestamp(year: configuration.year + 1, month: 1, day: 1).microsecondsSince1970
        yearStart = start
        yearEnd = end
        namespace = EventIDStrategy.derive(namespace: UUID(uuid: (0x0C, 0x45, 0xE0, 0x00, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xC1)), parts: ["city-workload"], number: configuration.seed)
        checkupEnterpriseCount = max(1, min(CityOrganization().enterprises.count, configuration.count(Figures.checkupEnterprises)))
    }

    /// Exactly `count` of `total` flags set, in a seeded order.
    func flags(_ total: Int, set count: Int, stream: UInt64) -> [Bool] {
        var rng = SplitMix64(seed: configuration.seed, stream: stream, index: 0)
        var out = [Bool](repeating: false, count: total)
        for i in rng.permutation(total).prefix(max(0, min(total, count))) { out[i] = true }
        return out
    }

    /// Every arrival of the year, in time order.
    func arrivals() -> [Arrival] {
        let c = configuration
        var rng = SplitMix64(seed: c.seed, stream: 10, index: 0)
        var out: [Arrival] = []
        var sequence = 0
        func time(latest: Int64) -> Int64 { yearStart + Int64(rng.next() % UInt64(max(1, latest - yearStart))) }
        func add(_ t: Int64, _ kind: Arrival.Kind) {
            out.append(Arrival(time: t, sequence: sequence, kind: kind))
            sequence += 1
        }
        let month: Int64 = 30 * SimCase.day
        // Tickets.
        var tickets: [TicketKind] = []
        let orders = c.count(Figures.platformOrders)
        let completed = flags(orders, set: Int((Double(orders) * Figures.platformCompletionRate).rounded()), stream: 20)
        tickets += completed.map { TicketKind.platformOrder(completed: $0) }
        let disputeChannels: [(Channel, Int)] = [(.householdWhistle, Figures.whistleDisputes), (.villageEveningTalk, Figures.eveningTalkDisputes),
                                                 (.mediationRoom, Figures.mediationRoomDisputes), (.oneStopDesk, Figures.deskDisputes)]
        let disputeCount = disputeChannels.reduce(0) { $0 + c.count($1.1) }
        let resolved = flags(disputeCount, set: Int((Double(disputeCount) * Figures.disputeResolutionRate).rounded()), stream: 21)
        var d = 0
        for (channel, n) in disputeChannels {
            for _ in 0..<c.count(n) {
                tickets.append(.dispute(channel, resolved: resolved[d]))
                d += 1
            }
        }
        tickets += Array(repeating: .deskRequest, count: c.count(Figures.deskRequests))
        tickets += Array(repeating: .clue(.hardship), count: c.count(Figures.hardshipClues))
        tickets += Array(repeating: .clue(.suggestion), count: c.count(Figures.suggestionClues))
        tickets += Array(repeating: .clue(.officerConduct), count: c.count(Figures.conductClues))
        for (i, kind) in tickets.enumerated() {
            // Tickets that conclude arrive early enough to finish within the year.
            var concludes = true
            if case .platformOrder(let done) = kind { concludes = done }
            add(time(latest: concludes ? yearEnd - month : yearEnd - SimCase.day), .ticket(i, kind))
        }
        // Ratings (those carrying a clue arrive with their ticket).
        let clues = tickets.filter { if case .clue = $0 { return true } else { return false } }.count
        for i in 0..<max(0, c.count(Figures.ratings) - clues) { add(time(latest: yearEnd - 1), .rating(i)) }
        // Check-ups: the risk points spread over them; all are rectified within the year.
        let checkups = c.count(Figures.checkups)
        var points = [Int](repeating: 0, count: checkups)
        if checkups > 0 {
            for _ in 0..<c.count(Figures.riskPoints) { points[Int(rng.next() % UInt64(checkups))] += 1 }
        }
        let reports = flags(checkups, set: c.count(Figures.reports), stream: 22)
        let trainings = flags(checkups, set: c.count(Figures.trainings), stream: 23)
        for i in 0..<checkups {
            add(time(latest: yearEnd - 4 * month), .checkup(i, points: points[i], report: reports[i], training: trainings[i]))
        }
        // Enforcement cases spread over the four lists and ordinary penalties.
        let cases = c.count(Figures.enforcementCases)
        var lists: [Int] = []
        for (list, share) in Figures.listShares.enumerated() { lists += Array(repeating: list, count: Int((Double(cases) * share).rounded())) }
        while lists.count < cases { lists.append(4) }
        lists = Array(lists.prefix(cases))
        let order = rng.permutation(cases)
        let delivered = flags(cases, set: Int((Double(cases) * Figures.deliveredShare).rounded()), stream: 24)
        for i in 0..<cases {
            add(time(latest: yearEnd - 3 * month), .enforcement(i, list: lists[order[i]], delivered: delivered[i]))
        }
        out.sort()
        return out
    }
}
