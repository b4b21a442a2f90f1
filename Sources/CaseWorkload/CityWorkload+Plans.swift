import CaseLedger
import CaseManagement

extension CityWorkload {
    /// Plans a ticket's commands from its kind, with its own seeded generator.
    func planTicket(_ index: Int, kind: TicketKind, start: Int64) throws(EventStoreError) -> SimCase {
        var rng = SplitMix64(seed: configuration.seed, stream: 1, index: UInt64(index))
        let id = "\(configuration.year)-" + CityOrganization.pad(index + 1, 6)
        let filer = "citizen-" + CityOrganization.pad(rng.int(1...22_000), 5)
        var steps: [(Int64, SimCommand)] = []
        var t = start
        func after(_ minHours: Int, _ maxHours: Int) -> Int64 {
            t = min(t + Int64(rng.int(minHours...maxHours)) * 3_600_000_000 + Int64(rng.int(0...3_599)) * 1_000_000, yearEnd - 1)
            return t
        }
        func unit() -> (String, String) {
            let u = organization.units[rng.int(0...(organization.units.count - 1))]
            return (u.id, rng.pick(u.officers))
        }
        let channel: Channel
        let category: TicketCategory
        var level: Level
        var clueRating: (unit: String, officer: String?, isLeader: Bool, score: Int)?
        switch kind {
        case .platformOrder:
            channel = .orderPlatform
            category = rng.pick([.hardship, .suggestion, .officerConduct, .hardship])
            level = rng.pick([.village, .village, .town])
        case .dispute(let c, _):
            channel = c
            category = rng.pick([.neighbourDispute, .neighbourDispute, .landDispute, .wageDispute, .landAcquisition])
            switch c {
            case .householdWhistle: level = .group
            case .villageEveningTalk, .mediationRoom: level = .village
            default: level = rng.pick([.village, .town, .town, .county])
            }
        case .deskRequest:
            channel = .oneStopDesk
            category = rng.pick([.hardship, .suggestion])
            level = rng.pick([.village, .town])
        case .clue(let c):
            channel = .evaluationApp
            category = c
            level = .county
            let (u, officer) = unit()
            clueRating = (u, officer, organization.isLeader(officer), rng.int(1...3))
        }
        let center = rng.pick(organization.centers(at: level))
        steps.append((t, .file(channel: channel, category: category, filer: filer, summary: "\(category.rawValue) via \(channel.rawValue)",
                               level: level, center: center, clueRating: clueRating)))
        let risk: RiskLevel = category.isLargeScale ? rng.pick([.medium, .high, .high, .major]) : rng.pick([.low, .low, .medium])
        steps.append((after(1, 12), .assess(risk)))
        // Assignment: clues and conduct go to a unit; the rest to the center at their level.
        let (unitID, officer) = unit()
        let toUnit = channel == .evaluationApp || category == .officerConduct
        let assignee = toUnit ? unitID : rng.pick(organization.centers(at: level))
        steps.append((after(1, 24), .assign(assignee: assignee, isCenter: !toUnit, level: level, days: 15)))
        steps.append((after(1, 48), .take(officer)))
        let concludes: Bool
        var outcome: Outcome = .resolved
        switch kind {
        case .platformOrder(let completed):
            concludes = completed
            outcome = rng.chance(0.93) ? .resolved : .notResolved
        case .dispute(let c, let resolved):
            concludes = true
            outcome = resolved ? (c == .mediationRoom || rng.chance(0.4) ? .mediated : .resolved) : .notResolved
        case .deskRequest, .clue:
            concludes = true
        }
        steps.append((after(2, 72), .handle(outcome == .mediated ? .mediated : .worked, "met the parties")))
        if rng.chance(concludes ? 0.12 : 0.6) { steps.append((after(48, 240), .remind)) }
        // Escalation only goes up: small matters stay in the group, hard ones move on.
        if level < .city && rng.chance(concludes ? 0.08 : 0.3) {
            let up = level.next
            steps.append((after(24, 120), .escalate(level: up, assignee: rng.pick(organization.centers(at: up)), isCenter: true,
                                                    reason: rng.chance(0.5) ? .overdue : .complexity, days: 10)))
            level = up
        }
        guard concludes else { return SimCase(id: id, stream: try CaseDesk.ticketStream(id), state: .ticket(Ticket()), steps: steps) }
        if case .clue = kind {
            steps.append((after(24, 96), .firstCheck(unitID)))
            steps.append((after(12, 72), .review(rng.pick(organization.units).id, rng.chance(0.8))))
        }
        steps.append((after(24, 240), .conclude(outcome)))
        if case .clue = kind {
            if rng.chance(0.85) {
                steps.append((after(24, 120), .evaluate(rng.int(3...5), reopen: false)))
            } else {
                steps.append((after(168, 168), .lapse))
            }
        } else if rng.chance(0.7) {
            if outcome != .notResolved && rng.chance(0.03) {
                // A bad rating reopens it; it is concluded again with the same outcome.
                steps.append((after(24, 72), .evaluate(rng.int(1...2), reopen: true)))
                steps.append((after(24, 96), .handle(.worked, "reopened after a bad rating")))
                steps.append((after(24, 120), .conclude(outcome)))
                steps.append((after(24, 72), .evaluate(rng.int(3...5), reopen: false)))
            } else {
                steps.append((after(24, 120), .evaluate(outcome == .notResolved ? rng.int(2...3) : rng.int(3...5), reopen: false)))
            }
        }
        return SimCase(id: id, stream: try CaseDesk.ticketStream(id), state: .ticket(Ticket()), steps: steps)
    }

    /// Plans a check-up: scheduled, conducted, its risk points found, advised
    /// and rectified, an optional report and training.
    func planCheckup(_ index: Int, points: Int, report: Bool, training: Bool, start: Int64) throws(EventStoreError) -> SimCase {
        var rng = SplitMix64(seed: configuration.seed, stream: 2, index: UInt64(index))
        let id = "\(configuration.year)-" + CityOrganization.pad(index + 1, 5)
        var t = start
        func after(_ minDays: Int, _ maxDays: Int) -> Int64 {
            t = min(t + Int64(rng.int(minDays...maxDays)) * SimCase.day + Int64(rng.int(0...86_399)) * 1_000_000, yearEnd - 1)
            return t
        }
        let enterprise = organization.enterprises[index % checkupEnterpriseCount]
        var steps: [(Int64, SimCommand)] = [(t, .schedule(enterprise: enterprise, center: rng.pick(organization.centers(at: .county)),
                                                       lawyer: "lawyer-" + CityOrganization.pad(rng.int(1...300), 3)))]
        let areas = Array(CheckupArea.allCases.shuffled(using: &rng).prefix(rng.int(2...4)))
        steps.append((after(3, 20), .conduct(areas)))
        var pointIDs: [String] = []
        for p in 0..<points {
            let point = "\(id)-p\(p + 1)"
            pointIDs.append(point)
            steps.append((after(0, 1), .find(point: point, area: rng.pick(areas), severity: rng.pick([.low, .medium, .medium, .high]),
                                             description: "risk found in review")))
        }
        for point in pointIDs { steps.append((after(1, 3), .advise(point))) }
        for point in pointIDs { steps.append((after(3, 20), .rectify(point, "lawyer-" + CityOrganization.pad(rng.int(1...300), 3)))) }
        if training { steps.append((after(1, 10), .train(rng.pick(["labour law", "contract management", "compliance basics"]), rng.int(8...60)))) }
        if report { steps.append((after(1, 7), .report("report-\(id)"))) }
        return SimCase(id: id, stream: try CaseDesk.checkupStream(id), state: .checkup(Checkup()), steps: steps)
    }

    /// Plans an enforcement case decided under `list`.
    func planEnforcement(_ index: Int, list: PenaltyList, delivered: Bool, start: Int64) throws(EventStoreError) -> SimCase {
        var rng = SplitMix64(seed: configuration.seed, stream: 3, index: UInt64(index))
        let id = "\(configuration.year)-" + CityOrganization.pad(index + 1, 5)
        var t = start
        func after(_ minDays: Int, _ maxDays: Int) -> Int64 {
            t = min(t + Int64(rng.int(minDays...maxDays)) * SimCase.day + Int64(rng.int(0...86_399)) * 1_000_000, yearEnd - 1)
            return t
        }
        let department = rng.pick(organization.departments)
        let minimum = rng.pick([1_000, 2_000, 5_000, 10_000, 20_000])
        let maximum = minimum * rng.int(5...20)
        let fine: Int
        switch list {
        case .noPenalty, .exemptFromCompulsory: fine = 0
        case .mitigated: fine = rng.int(max(1, minimum / 10)...(minimum - 1))
        case .lighter: fine = rng.int(minimum...(minimum + (maximum - minimum) / 2))
        case .ordinary: fine = rng.int(minimum...maximum)
        }
        let item: String
        switch list {
        case .noPenalty: item = "first minor violation, promptly corrected (轻微免罚)"
        case .mitigated: item = "active mitigation of harm"
        case .lighter: item = "cooperated and corrected"
        case .exemptFromCompulsory: item = "no risk of evidence loss or harm"
        case .ordinary: item = "ordinary penalty"
        }
        let enterprise = rng.pick(organization.enterprises)
        var steps: [(Int64, SimCommand)] = [(t, .open(department: department, enterprise: enterprise, violation: "violation of \(department) rules",
                                                   basis: "Article \(rng.int(10...90)) of the \(department) regulation", min: minimum, max: maximum))]
        steps.append((after(1, 10), .assessImpact(rng.int(0...400))))
        if rng.chance(0.2) {
            var others = organization.departments.filter { $0 != department }.shuffled(using: &rng)
            others = Array(others.prefix(rng.int(1...3)))
            steps.append((after(1, 10), .inspect([department] + others)))
        }
        steps.append((after(3, 30), .decide(list, fine, DecisionReasoning(facts: "facts established on inspection", legalBasis: "Article \(rng.int(10...90))", listItem: item))))
        if delivered {
            steps.append((after(1, 7), .deliver(id)))
            if rng.chance(0.9) {
                steps.append((after(1, 7), .publicize("publicity-\(id)")))
                if list != .ordinary || rng.chance(0.3) {
                    if rng.chance(0.4) {
                        steps.append((after(5, 30), .applyRepair))
                        if rng.chance(0.8) { steps.append((after(5, 30), .repair)) }
                    }
                }
            }
        }
        return SimCase(id: id, stream: try CaseDesk.caseStream(id), state: .enforcement(EnforcementCase()), steps: steps)
    }
}
