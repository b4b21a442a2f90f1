import CaseLedger
import CaseManagement
import Foundation
import Hummingbird

/// `/api/ratings`, `/api/checkups`, `/api/cases` and an enterprise's
/// registers.
///
///     POST /api/ratings                        a rating of a unit or officer (citizen, administrator)
///     POST /api/checkups/{id}/{command}        schedule, conduct, find, advise, rectify, waive, report, train (officer)
///     POST /api/cases/{id}/{command}           open, assess-impact, inspect, decide, deliver, publicize,
///                                              apply-credit-repair, repair-credit (officer)
///     GET  /api/enterprises/{id}/checkups      the enterprise's check-up register entry
///     GET  /api/enterprises/{id}/penalties     its penalty-list counts and its cases
///     GET  /api/units/{id}, /api/officers/{id} scores
extension CityServer {
    struct SubmitRating: Decodable {
        var ratingID: String
        var unitID: String
        var officerID: String?
        var isLeader: Bool?
        var score: Int
    }

    /// The body of every check-up and enforcement command.
    struct CaseCommand: Decodable {
        var enterpriseID: String?
        var centerID: String?
        var lawyer: String?
        var at: String?
        var areas: [CheckupArea]?
        var pointID: String?
        var area: CheckupArea?
        var severity: Severity?
        var description: String?
        var advice: String?
        var verifiedBy: String?
        var reason: String?
        var reportID: String?
        var topic: String?
        var attendees: Int?
        var department: String?
        var violation: String?
        var legalBasis: String?
        var fineMinimum: Int?
        var fineMaximum: Int?
        var summary: String?
        var jobsAffected: Int?
        var departments: [String]?
        var list: PenaltyList?
        var fine: Int?
        var reasoning: DecisionReasoning?
        var decisionDocument: String?
        var creditRepairNotice: String?
        var complianceAdviceLetter: String?
        var publicityID: String?

        func require<T>(_ value: T?, _ name: String, for command: String) throws -> T {
            guard let value else { throw APIError.badRequest("\(command) needs the field \(name)") }
            return value
        }
    }

    static let checkupCommands = ["schedule", "conduct", "find", "advise", "rectify", "waive", "report", "train"]
    static let caseCommands = ["open", "assess-impact", "inspect", "decide", "deliver", "publicize", "apply-credit-repair", "repair-credit"]

    func addCaseRoutes(to api: RouterGroup<CityContext>) {
        api.post("ratings") { request, context in
            let caller = try context.caller(.citizen, .administrator, doing: "submit a rating")
            let body = try await JSON.body(SubmitRating.self, from: request)
            let results = try await desk.rate(ratingID: body.ratingID, unitID: body.unitID, officerID: body.officerID,
                                              isLeader: body.isLeader ?? false, score: body.score,
                                              raterID: caller.role == .citizen ? caller.id : nil, metadata: metadata(caller))
            guard let result = results.first else { throw APIError(.internalServerError, "internal", "the rating was not appended") }
            return CommandResult(stream: "evaluation-\(body.unitID)", result).response
        }

        api.post("checkups/:id/:command") { request, context in
            let caller = try context.caller(.officer, .administrator, doing: "act on a check-up")
            let id = try context.parameters.require("id")
            let command = try context.parameters.require("command")
            guard Self.checkupCommands.contains(command) else {
                throw APIError.notFound("no check-up command \(command); the commands are \(Self.checkupCommands.joined(separator: ", "))")
            }
            let version = try request.expectedVersion()
            let body = try await JSON.body(CaseCommand.self, from: request)
            let result = try await desk.checkup(id, metadata: metadata(caller), expecting: version) { checkup in
                // A check-up is scheduled by an officer of its center, and worked by officers of that center.
                let center = command == "schedule" ? (body.centerID ?? "") : checkup.centerID
                if command != "schedule", !checkup.scheduled { throw DomainRuleError(.unknownCase, "check-up \(id) is not scheduled") }
                try Self.authorize(caller, unit: center, what: "check-up \(id)")
                return try Self.run(checkup: command, body, on: checkup, id: id)
            }
            return CommandResult(stream: try CaseDesk.checkupStream(id).value, result).response
        }

        api.post("cases/:id/:command") { request, context in
            let caller = try context.caller(.officer, .administrator, doing: "act on an enforcement case")
            let id = try context.parameters.require("id")
            let command = try context.parameters.require("command")
            guard Self.caseCommands.contains(command) else {
                throw APIError.notFound("no enforcement command \(command); the commands are \(Self.caseCommands.joined(separator: ", "))")
            }
            let version = try request.expectedVersion()
            let body = try await JSON.body(CaseCommand.self, from: request)
            let result = try await desk.enforcement(id, metadata: metadata(caller), expecting: version) { enforcement in
                let department = command == "open" ? (body.department ?? "") : enforcement.department
                if command != "open", !enforcement.opened { throw DomainRuleError(.unknownCase, "enforcement case \(id) is not open") }
                try Self.authorize(caller, unit: department, what: "enforcement case \(id)")
                return try Self.run(case: command, body, on: enforcement, id: id)
            }
            return CommandResult(stream: try CaseDesk.caseStream(id).value, result).response
        }

        api.get("enterprises/:id/checkups") { request, context in
            _ = try context.caller(.officer, .auditor, .administrator, doing: "read an enterprise's check-ups")
            let id = try context.parameters.require("id")
            if let after = try request.number("after") { try await waitForReadModels(to: after) }
            guard let entry = try await engine.row(id, of: CheckupRegisterProjection.self, in: \.enterprises) else {
                throw APIError.notFound("no check-up of enterprise \(id)")
            }
            return JSON.response(EnterpriseCheckups(enterpriseID: id, register: entry))
        }

        api.get("enterprises/:id/penalties") { request, context in
            _ = try context.caller(.officer, .auditor, .administrator, doing: "read an enterprise's penalty register")
            let id = try context.parameters.require("id")
            if let after = try request.number("after") { try await waitForReadModels(to: after) }
            let counts = try await engine.row(id, of: PenaltyRegisterProjection.self, in: \.byEnterprise) ?? [:]
            let cases = try await engine.rows(of: PenaltyRegisterProjection.self, in: \.cases, secondaryKey: "enterprise", equals: id)
            guard !cases.isEmpty else { throw APIError.notFound("no enforcement case of enterprise \(id)") }
            return JSON.response(EnterprisePenalties(enterpriseID: id, byList: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                                                     cases: cases.map { CaseRow(caseID: $0.key, row: $0.row) }))
        }

        for (path, table) in [("units", \EvaluationScores.units), ("officers", \EvaluationScores.officers)] as [(String, KeyPath<EvaluationScores, ReadModelTable<Score>> & Sendable)] {
            api.get("\(path)/:id") { request, context in
                _ = try context.caller(.officer, .auditor, .administrator, doing: "read scores")
                let id = try context.parameters.require("id")
                if let after = try request.number("after") { try await waitForReadModels(to: after) }
                guard let score = try await engine.row(id, of: EvaluationScoresProjection.self, in: table) else {
                    throw APIError.notFound("no rating of \(id)")
                }
                return JSON.response(ScoreView(id: id, score: score))
            }
        }
    }

    struct EnterpriseCheckups: Encodable {
        var enterpriseID: String
        var register: CheckupRegister.Enterprise
    }

    struct CaseRow: Encodable {
        var caseID: String
        var row: PenaltyRegister.Case
    }

    struct EnterprisePenalties: Encodable {
        var enterpriseID: String
        var byList: [String: Int]
        var cases: [CaseRow]
    }

    struct ScoreView: Encodable {
        var id: String
        var score: Score
    }

    /// Whether `caller` acts for `unit` (an officer of that center or
    /// department, or an administrator), else 403.
    static func authorize(_ caller: Principal, unit: String, what: String) throws {
        guard caller.role == .officer else { return }
        guard !caller.unit.isEmpty, caller.unit == unit else {
            throw APIError(.forbidden, "forbidden", "\(what) is not held by \(caller.unit.isEmpty ? "this officer's unit" : caller.unit)")
        }
    }

    static func time(_ text: String?, _ name: String, for command: String) throws -> Timestamp {
        guard let text else { return Timestamp.now() }
        guard let time = Timestamp(iso8601: text) else { throw APIError.badRequest("\(name) must be an ISO 8601 time; got \(text)") }
        return time
    }

    static func run(checkup command: String, _ body: CaseCommand, on checkup: Checkup, id: String) throws -> [any DomainEvent] {
        switch command {
        case "schedule":
            return try checkup.schedule(id, enterpriseID: body.require(body.enterpriseID, "enterpriseID", for: command),
                                        centerID: body.require(body.centerID, "centerID", for: command),
                                        lawyer: body.lawyer ?? "", at: time(body.at, "at", for: command))
        case "conduct": return try checkup.conduct(areas: body.require(body.areas, "areas", for: command))
        case "find":
            return try checkup.find(pointID: body.require(body.pointID, "pointID", for: command), area: body.require(body.area, "area", for: command),
                                    severity: body.require(body.severity, "severity", for: command), description: body.description ?? "")
        case "advise": return try checkup.advise(pointID: body.require(body.pointID, "pointID", for: command), advice: body.advice ?? "")
        case "rectify":
            return try checkup.rectify(pointID: body.require(body.pointID, "pointID", for: command), verifiedBy: body.require(body.verifiedBy, "verifiedBy", for: command))
        case "waive": return try checkup.waive(pointID: body.require(body.pointID, "pointID", for: command), reason: body.require(body.reason, "reason", for: command))
        case "report": return try checkup.issueReport(reportID: body.require(body.reportID, "reportID", for: command))
        default: return try checkup.train(topic: body.require(body.topic, "topic", for: command), attendees: body.require(body.attendees, "attendees", for: command))
        }
    }

    static func run(case command: String, _ body: CaseCommand, on enforcement: EnforcementCase, id: String) throws -> [any DomainEvent] {
        switch command {
        case "open":
            return try enforcement.open(id, department: body.require(body.department, "department", for: command),
                                        enterpriseID: body.require(body.enterpriseID, "enterpriseID", for: command),
                                        violation: body.require(body.violation, "violation", for: command),
                                        legalBasis: body.require(body.legalBasis, "legalBasis", for: command),
                                        fineMinimum: body.require(body.fineMinimum, "fineMinimum", for: command),
                                        fineMaximum: body.require(body.fineMaximum, "fineMaximum", for: command))
        case "assess-impact":
            return try enforcement.assessImpact(summary: body.summary ?? "", jobsAffected: body.require(body.jobsAffected, "jobsAffected", for: command))
        case "inspect": return try enforcement.inspectTogether(departments: body.require(body.departments, "departments", for: command))
        case "decide":
            return try enforcement.decide(body.require(body.list, "list", for: command), fine: body.require(body.fine, "fine", for: command),
                                          reasoning: body.require(body.reasoning, "reasoning", for: command))
        case "deliver":
            return try enforcement.deliver(decisionDocument: body.decisionDocument, creditRepairNotice: body.creditRepairNotice,
                                           complianceAdviceLetter: body.complianceAdviceLetter)
        case "publicize": return try enforcement.publicize(publicityID: body.require(body.publicityID, "publicityID", for: command))
        case "apply-credit-repair": return try enforcement.applyForCreditRepair()
        default: return try enforcement.repairCredit()
        }
    }
}
