import CaseLedger
import CaseManagement

/// One case in the simulation: its stream, its version, its aggregate state
/// and the commands still to run.
final class SimCase {
    enum State {
        case ticket(Ticket)
        case checkup(Checkup)
        case enforcement(EnforcementCase)
    }

    let id: String
    let stream: StreamName
    var version: UInt64 = 0
    var state: State
    var steps: [(time: Int64, command: SimCommand)]
    var next = 0

    init(id: String, stream: StreamName, state: State, steps: [(Int64, SimCommand)]) {
        self.id = id
        self.stream = stream
        self.state = state
        self.steps = steps.map { (time: $0.0, command: $0.1) }
    }

    /// Runs a command through the aggregate's own rules and folds the events.
    func run(_ command: SimCommand, at time: Int64) throws -> [any DomainEvent] {
        let events: [any DomainEvent]
        switch state {
        case .ticket(var t):
            events = try Self.ticket(&t, command, id: id, time: time)
            for e in events { try t.apply(e) }
            state = .ticket(t)
        case .checkup(var c):
            events = try Self.checkup(c, command, id: id, time: time)
            for e in events { try c.apply(e) }
            state = .checkup(c)
        case .enforcement(var c):
            events = try Self.enforcement(c, command, id: id)
            for e in events { try c.apply(e) }
            state = .enforcement(c)
        }
        return events
    }

    static let day: Int64 = 86_400_000_000

    static func ticket(_ t: inout Ticket, _ command: SimCommand, id: String, time: Int64) throws -> [any DomainEvent] {
        switch command {
        case .file(let channel, let category, let filer, let summary, let level, let center, let clue):
            return try t.file(id, channel: channel, category: category, filerID: filer, summary: summary, level: level,
                              centerID: center, isClue: clue != nil)
        case .assess(let risk): return try t.assess(risk: risk)
        case .assign(let assignee, let isCenter, let level, let days):
            return try t.assign(to: assignee, isCenter: isCenter, level: level, deadline: Timestamp(microsecondsSince1970: time + Int64(days) * day))
        case .take(let officer): return try t.take(officerID: officer)
        case .handle(let action, let note): return try t.handle(action, note: note)
        case .remind: return try t.remind(note: "deadline approaching")
        case .escalate(let level, let assignee, let isCenter, let reason, let days):
            return try t.escalate(to: level, assigneeID: assignee, isCenter: isCenter, reason: reason,
                                  deadline: Timestamp(microsecondsSince1970: time + Int64(days) * day))
        case .firstCheck(let department): return try t.firstCheck(departmentID: department, finding: "checked against the record")
        case .review(let reviewer, let upheld): return try t.review(reviewerID: reviewer, upheld: upheld)
        case .conclude(let outcome): return try t.conclude(outcome)
        case .evaluate(let rating, let reopen): return try t.evaluate(rating: rating, reopen: reopen)
        case .lapse: return try t.lapseReturnRating()
        default: throw DomainRuleError(.invalidInput, "not a ticket command")
        }
    }

    static func checkup(_ c: Checkup, _ command: SimCommand, id: String, time: Int64) throws -> [any DomainEvent] {
        switch command {
        case .schedule(let enterprise, let center, let lawyer):
            return try c.schedule(id, enterpriseID: enterprise, centerID: center, lawyer: lawyer, at: Timestamp(microsecondsSince1970: time))
        case .conduct(let areas): return try c.conduct(areas: areas)
        case .find(let point, let area, let severity, let description):
            return try c.find(pointID: point, area: area, severity: severity, description: description)
        case .advise(let point): return try c.advise(pointID: point, advice: "revise the practice and document it")
        case .rectify(let point, let verifier): return try c.rectify(pointID: point, verifiedBy: verifier)
        case .report(let report): return try c.issueReport(reportID: report)
        case .train(let topic, let attendees): return try c.train(topic: topic, attendees: attendees)
        default: throw DomainRuleError(.invalidInput, "not a check-up command")
        }
    }

    static func enforcement(_ c: EnforcementCase, _ command: SimCommand, id: String) throws -> [any DomainEvent] {
        switch command {
        case .open(let department, let enterprise, let violation, let basis, let min, let max):
            return try c.open(id, department: department, enterpriseID: enterprise, violation: violation, legalBasis: basis,
                              fineMinimum: min, fineMaximum: max)
        case .assessImpact(let jobs): return try c.assessImpact(summary: "operations and jobs weighed", jobsAffected: jobs)
        case .inspect(let departments): return try c.inspectTogether(departments: departments)
        case .decide(let list, let fine, let reasoning): return try c.decide(list, fine: fine, reasoning: reasoning)
        case .deliver(let doc):
            return try c.deliver(decisionDocument: "decision-\(doc)", creditRepairNotice: "credit-notice-\(doc)", complianceAdviceLetter: "compliance-\(doc)")
        case .publicize(let entry): return try c.publicize(publicityID: entry)
        case .applyRepair: return try c.applyForCreditRepair()
        case .repair: return try c.repairCredit()
        default: throw DomainRuleError(.invalidInput, "not an enforcement command")
        }
    }
}

extension SimCase {
    /// Folds an event produced outside ``run(_:at:)`` (a clue's intake,
    /// produced together with its rating).
    func fold(_ event: any DomainEvent) throws {
        if case .ticket(var t) = state {
            try t.apply(event)
            state = .ticket(t)
        }
    }
}
