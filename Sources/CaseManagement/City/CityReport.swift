import CaseLedger
import Foundation

/// The city's dashboard: the four read models summed up, as JSON or tables.
///
/// JSON keys (rates are fractions, 0.9837): `position`,
/// `tickets.completionRate` (the order platform's), `tickets.overallCompletionRate`,
/// `tickets.disputeResolutionRate`, `tickets.settledByLevel`, `tickets.open`,
/// `evaluations.ratings`, `evaluations.units`, `evaluations.officers`,
/// `checkups.checkups`, `checkups.riskPointsFound`, `checkups.riskPointsRectified`,
/// `enforcement.cases`, `enforcement.byList`, `enforcement.threeDocumentsTogetherRate`,
/// `digests`.
public struct CityReport: Codable, Sendable {
    public struct Tickets: Codable, Sendable {
        public var accepted: Int
        public var concluded: Int
        public var completionRate: Double
        public var overallCompletionRate: Double
        public var disputeResolutionRate: Double
        public var settledByLevel: [String: Int]
        public var open: Int
        public var openByStep: [String: Int]
        public var openByLevel: [String: Int]
        public var openByCategory: [String: Int]
        public var overdue: Int
        public var acceptedByChannel: [String: Int]
        public var earlyWarnings: Int
        public var escalations: Int
        public var reopened: Int
        public var clueLoopsClosedByRating: Int
        public var clueLoopsLapsed: Int
        public var hardshipsSolved: Int
        public var suggestionsCollected: Int
        public var medianHoursByStep: [String: Int64]
    }
    public struct Evaluations: Codable, Sendable {
        public var ratings: Int
        public var units: Int
        public var officers: Int
        public var leaders: Int
        public var mean: Double
        public var clues: Int
        public var topUnits: [EvaluationScores.Ranked]
        public var topLeaders: [EvaluationScores.Ranked]
    }
    public struct Checkups: Codable, Sendable {
        public var checkups: Int
        public var enterprises: Int
        public var riskPointsFound: Int
        public var riskPointsRectified: Int
        public var riskPointsOpen: Int
        public var reports: Int
        public var trainings: Int
        public var rectificationRateByArea: [String: Double]
    }
    public struct ByList: Codable, Sendable {
        public var noPenalty: Int
        public var mitigated: Int
        public var lighter: Int
        public var exemptFromCompulsory: Int
        public var ordinary: Int
    }
    public struct Enforcement: Codable, Sendable {
        public var cases: Int
        public var decisions: Int
        public var byList: ByList
        public var threeDocumentsTogetherRate: Double
        public var publicized: Int
        public var creditRepairsApplied: Int
        public var creditRepairsDone: Int
        public var combinedInspections: Int
    }

    public var position: UInt64
    public var tickets: Tickets
    public var evaluations: Evaluations
    public var checkups: Checkups
    public var enforcement: Enforcement
    public var digests: [String: String]

    /// Sums up the four read models.
    public init(position: UInt64, board: TicketBoard, scores: EvaluationScores, checkups register: CheckupRegister,
                penalties: PenaltyRegister, digests: [String: String]) {
        func keyed<K: RawRepresentable, V>(_ d: [K: V]) -> [String: V] where K.RawValue == String {
            Dictionary(uniqueKeysWithValues: d.map { ($0.key.rawValue, $0.value) })
        }
        self.position = position
        tickets = Tickets(
            accepted: board.accepted, concluded: board.concluded,
            completionRate: board.platformCompletionRate, overallCompletionRate: board.completionRate,
            disputeResolutionRate: board.disputeResolutionRate, settledByLevel: keyed(board.settledByLevel.filter { $0.value != 0 }),
            open: board.openCount, openByStep: keyed(board.openByStep), openByLevel: keyed(board.openByLevel),
            openByCategory: keyed(board.openByCategory), overdue: board.overdue, acceptedByChannel: keyed(board.acceptedByChannel),
            earlyWarnings: board.earlyWarnings, escalations: board.escalations, reopened: board.reopened,
            clueLoopsClosedByRating: board.clueLoopsClosedByRating, clueLoopsLapsed: board.clueLoopsLapsed,
            hardshipsSolved: board.hardshipsSolved, suggestionsCollected: board.suggestionsCollected,
            medianHoursByStep: keyed(board.medianHoursByStep))
        evaluations = Evaluations(
            ratings: scores.ratings, units: scores.units.count, officers: scores.officers.count,
            leaders: scores.officers.values.filter(\.isLeader).count, mean: scores.mean, clues: scores.clues,
            topUnits: Array(scores.unitRanking.prefix(5)), topLeaders: Array(scores.leaderRanking.prefix(5)))
        checkups = Checkups(
            checkups: register.checkups, enterprises: register.enterprises.count, riskPointsFound: register.pointsFound,
            riskPointsRectified: register.pointsRectified, riskPointsOpen: register.pointsFound - register.pointsRectified - register.pointsWaived,
            reports: register.reports, trainings: register.trainings,
            rectificationRateByArea: keyed(register.byArea.mapValues(\.rectificationRate)))
        enforcement = Enforcement(
            cases: penalties.opened, decisions: penalties.decisions,
            byList: ByList(noPenalty: penalties.byList[.noPenalty] ?? 0, mitigated: penalties.byList[.mitigated] ?? 0,
                           lighter: penalties.byList[.lighter] ?? 0, exemptFromCompulsory: penalties.byList[.exemptFromCompulsory] ?? 0,
                           ordinary: penalties.byList[.ordinary] ?? 0),
            threeDocumentsTogetherRate: penalties.threeDocumentsTogetherRate, publicized: penalties.publicity.count,
            creditRepairsApplied: penalties.creditRepairsApplied, creditRepairsDone: penalties.creditRepairsDone,
            combinedInspections: penalties.combinedInspections)
        self.digests = digests
    }

    /// Builds the report from a point-in-time replay.
    public init?(_ replay: ProjectionReplay) {
        guard let b = replay.state(of: TicketBoardProjection.self), let s = replay.state(of: EvaluationScoresProjection.self),
              let c = replay.state(of: CheckupRegisterProjection.self), let p = replay.state(of: PenaltyRegisterProjection.self) else { return nil }
        self.init(position: replay.position, board: b, scores: s, checkups: c, penalties: p, digests: replay.digests)
    }

    /// Builds the report from an engine's live read models, all taken at one moment.
    public static func live(_ engine: ProjectionEngine) async throws -> CityReport {
        guard let report = CityReport(try await engine.snapshot()) else {
            throw ProjectionError(projection: "city", message: "the four city read models are not all registered")
        }
        return report
    }

    /// The report as JSON with sorted keys.
    public func json(pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The report as text tables.
    public var text: String {
        func pct(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
        func row(_ a: String, _ b: String) -> String { DisplayWidth.pad(a, to: 50) + b }
        var lines: [String] = []
        lines.append("CITY DASHBOARD — as of position \(position)")
        lines.append("")
        lines.append("Tickets (seven-step closed loop)")
        lines.append(row("  accepted / concluded", "\(tickets.accepted) / \(tickets.concluded)"))
        lines.append(row("  completion rate, order platform (办结率)", pct(tickets.completionRate)))
        lines.append(row("  completion rate, all channels", pct(tickets.overallCompletionRate)))
        lines.append(row("  dispute resolution rate (化解率)", pct(tickets.disputeResolutionRate)))
        lines.append(row("  open / overdue", "\(tickets.open) / \(tickets.overdue)"))
        lines.append(row("  early warnings / escalations / reopened", "\(tickets.earlyWarnings) / \(tickets.escalations) / \(tickets.reopened)"))
        lines.append(row("  clue loops closed by return rating / lapsed", "\(tickets.clueLoopsClosedByRating) / \(tickets.clueLoopsLapsed)"))
        lines.append(row("  hardships solved / suggestions collected", "\(tickets.hardshipsSolved) / \(tickets.suggestionsCollected)"))
        lines.append("  settled by level: " + Level.allCases.map { "\($0.rawValue) \(tickets.settledByLevel[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        lines.append("  median hours in step: " + TicketStep.allCases.compactMap { s in tickets.medianHoursByStep[s.rawValue].map { "\(s.rawValue) \($0)" } }.joined(separator: ", "))
        lines.append("")
        lines.append("Evaluations (评议)")
        lines.append(row("  ratings / units / officers / leaders", "\(evaluations.ratings) / \(evaluations.units) / \(evaluations.officers) / \(evaluations.leaders)"))
        lines.append(row("  mean rating / ratings with a clue", String(format: "%.3f / %d", evaluations.mean, evaluations.clues)))
        lines.append("  top units: " + evaluations.topUnits.map { "\($0.id) " + String(format: "%.2f", $0.mean) }.joined(separator: ", "))
        lines.append("")
        lines.append("Enterprise legal check-ups (法治体检)")
        lines.append(row("  check-ups / enterprises", "\(checkups.checkups) / \(checkups.enterprises)"))
        lines.append(row("  risk points found / rectified / open", "\(checkups.riskPointsFound) / \(checkups.riskPointsRectified) / \(checkups.riskPointsOpen)"))
        lines.append(row("  reports / training sessions", "\(checkups.reports) / \(checkups.trainings)"))
        lines.append("")
        lines.append("Enforcement (四张清单)")
        lines.append(row("  cases / decisions / combined inspections", "\(enforcement.cases) / \(enforcement.decisions) / \(enforcement.combinedInspections)"))
        let l = enforcement.byList
        lines.append(row("  no penalty / mitigated / lighter", "\(l.noPenalty) / \(l.mitigated) / \(l.lighter)"))
        lines.append(row("  exempt from compulsory / ordinary", "\(l.exemptFromCompulsory) / \(l.ordinary)"))
        lines.append(row("  three documents together (三书同达)", pct(enforcement.threeDocumentsTogetherRate)))
        lines.append(row("  publicized / credit repaired", "\(enforcement.publicized) / \(enforcement.creditRepairsDone)"))
        lines.append("")
        lines.append("Digests")
        for (name, digest) in digests.sorted(by: { $0.key < $1.key }) { lines.append(row("  \(name)", digest)) }
        return lines.joined(separator: "\n")
    }
}
