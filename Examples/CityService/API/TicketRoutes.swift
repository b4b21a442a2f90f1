import CaseLedger
import CaseManagement
import Foundation
import Hummingbird

/// `/api/tickets`: the seven-step loop and its sub-loops, and a ticket's
/// row and history.
///
///     POST /api/tickets                       file (citizen: as themself)
///     POST /api/tickets/{id}/{command}        assess, assign, take, handle, remind, escalate,
///                                             first-check, review, conclude (officer), evaluate (citizen)
///     GET  /api/tickets/{id}[?after=P]        the ticket, its version and its board row
///     GET  /api/tickets/{id}/history          every event with its position and hash
extension CityServer {
    struct FileTicket: Decodable {
        var ticketID: String
        var channel: Channel
        var category: TicketCategory
        var summary: String
        var level: Level
        var centerID: String
        var isClue: Bool?
        /// Only officers and administrators file for someone else.
        var filerID: String?
    }

    /// The body of every ticket command; each command reads its fields.
    struct TicketCommand: Decodable {
        var risk: RiskLevel?
        var earlyWarning: Bool?
        var assigneeID: String?
        var isCenter: Bool?
        var level: Level?
        var deadline: String?
        var officerID: String?
        var action: HandlingAction?
        var note: String?
        var reason: EscalationReason?
        var departmentID: String?
        var finding: String?
        var reviewerID: String?
        var upheld: Bool?
        var outcome: Outcome?
        var rating: Int?
        var reopen: Bool?

        func require<T>(_ value: T?, _ name: String, for command: String) throws -> T {
            guard let value else { throw APIError.badRequest("\(command) needs the field \(name)") }
            return value
        }

        func deadline(for command: String) throws -> Timestamp {
            let text = try require(deadline, "deadline", for: command)
            guard let time = Timestamp(iso8601: text) else { throw APIError.badRequest("deadline must be an ISO 8601 time such as 2025-07-01T00:00:00Z; got \(text)") }
            return time
        }
    }

    static let ticketCommands = ["assess", "assign", "take", "handle", "remind", "escalate", "first-check", "review", "conclude", "evaluate"]

    func addTicketRoutes(to api: RouterGroup<CityContext>) {
        api.post("tickets") { request, context in
            let caller = try context.caller(.citizen, .officer, .administrator, doing: "file a ticket")
            let body = try await JSON.body(FileTicket.self, from: request)
            let filer: String
            if caller.role == .citizen {
                guard body.filerID == nil || body.filerID == caller.id else {
                    throw APIError(.forbidden, "forbidden", "a citizen files tickets as themself only")
                }
                filer = caller.id
            } else {
                guard let id = body.filerID else { throw APIError.badRequest("filing for a citizen needs the field filerID") }
                filer = id
            }
            let result = try await desk.ticket(body.ticketID, metadata: metadata(caller), expecting: try request.expectedVersion()) {
                try $0.file(body.ticketID, channel: body.channel, category: body.category, filerID: filer, summary: body.summary,
                            level: body.level, centerID: body.centerID, isClue: body.isClue ?? false)
            }
            return CommandResult(stream: try CaseDesk.ticketStream(body.ticketID).value, result).response
        }

        api.post("tickets/:id/:command") { request, context in
            let caller = try context.caller()
            let id = try context.parameters.require("id")
            let command = try context.parameters.require("command")
            guard Self.ticketCommands.contains(command) else {
                throw APIError.notFound("no ticket command \(command); the commands are \(Self.ticketCommands.joined(separator: ", "))")
            }
            if command == "evaluate" {
                guard caller.role == .citizen || caller.role == .administrator else {
                    throw APIError(.forbidden, "forbidden", "only the citizen who filed a ticket rates it")
                }
            } else {
                guard caller.role == .officer || caller.role == .administrator else {
                    throw APIError(.forbidden, "forbidden", "a \(caller.role.rawValue) may not \(command) a ticket")
                }
            }
            let version = try request.expectedVersion()
            let body = try await JSON.body(TicketCommand.self, from: request)
            let result = try await desk.ticket(id, metadata: metadata(caller), expecting: version) { ticket in
                try Self.authorize(caller, toAct: command, on: ticket, id: id)
                return try Self.run(command, body, on: ticket, caller: caller)
            }
            return CommandResult(stream: try CaseDesk.ticketStream(id).value, result).response
        }

        api.get("tickets/:id") { request, context in
            let caller = try context.caller()
            let id = try context.parameters.require("id")
            if let after = try request.number("after") { try await waitForReadModels(to: after) }
            let stream = try CaseDesk.ticketStream(id)
            let ticket = try await desk.loadTicket(id)
            guard ticket.step != nil else { throw APIError.notFound("no ticket \(id)") }
            try Self.authorize(caller, toRead: ticket, id: id)
            let version = try await store.streamVersion(stream)
            let row = try await engine.row(id, of: TicketBoardProjection.self, in: \.open)
            return JSON.response(TicketView(ticket: ticket, version: version, boardRow: row), headers: [.eTag: "\"\(version)\""])
        }

        api.get("tickets/:id/history") { request, context in
            let caller = try context.caller()
            let id = try context.parameters.require("id")
            let ticket = try await desk.loadTicket(id)
            guard ticket.step != nil else { throw APIError.notFound("no ticket \(id)") }
            try Self.authorize(caller, toRead: ticket, id: id)
            let events = try await store.readStream(try CaseDesk.ticketStream(id), from: nil, direction: .forward, limit: 10_000)
            return eventList(events)
        }
    }

    /// A ticket as the API shows it.
    struct TicketView: Encodable {
        var ticket: Ticket
        var version: UInt64
        /// Its row on the ticket board while it is open (`nil` once closed).
        var boardRow: TicketRecord?
    }

    /// Whether `caller` may act on `ticket` with `command`, else 403 (or 404
    /// for a ticket that does not exist yet).
    static func authorize(_ caller: Principal, toAct command: String, on ticket: Ticket, id: String) throws {
        guard ticket.step != nil else { throw DomainRuleError(.unknownCase, "ticket \(id) does not exist") }
        switch caller.role {
        case .administrator: return
        case .citizen:
            guard ticket.filerID == caller.id else { throw APIError(.forbidden, "forbidden", "ticket \(id) was not filed by \(caller.id)") }
        case .officer:
            guard !caller.unit.isEmpty, caller.unit == ticket.assigneeID || caller.unit == ticket.centerID else {
                throw APIError(.forbidden, "forbidden", "ticket \(id) is not assigned to \(caller.unit.isEmpty ? "this officer's unit" : caller.unit)")
            }
        case .auditor:
            throw APIError(.forbidden, "forbidden", "an auditor reads; it does not act on tickets")
        }
    }

    /// Whether `caller` may read `ticket`, else 403.
    static func authorize(_ caller: Principal, toRead ticket: Ticket, id: String) throws {
        if caller.readsEverything { return }
        try authorize(caller, toAct: "read", on: ticket, id: id)
    }

    /// The events of a ticket command. An officer takes and reviews as
    /// themself; only an administrator names another officer.
    static func run(_ command: String, _ body: TicketCommand, on ticket: Ticket, caller: Principal) throws -> [any DomainEvent] {
        if caller.role == .officer {
            for (field, named) in [("officerID", body.officerID), ("reviewerID", body.reviewerID)] {
                if let named, named != caller.id {
                    throw APIError(.forbidden, "forbidden", "\(caller.id) may not act as \(named) (\(field))")
                }
            }
        }
        switch command {
        case "assess": return try ticket.assess(risk: body.require(body.risk, "risk", for: command))
        case "assign":
            return try ticket.assign(to: body.require(body.assigneeID, "assigneeID", for: command), isCenter: body.isCenter ?? false,
                                     level: body.require(body.level, "level", for: command), deadline: body.deadline(for: command))
        case "take": return try ticket.take(officerID: body.officerID ?? caller.id)
        case "handle": return try ticket.handle(body.require(body.action, "action", for: command), note: body.note ?? "")
        case "remind": return try ticket.remind(note: body.note ?? "")
        case "escalate":
            return try ticket.escalate(to: body.require(body.level, "level", for: command), assigneeID: body.require(body.assigneeID, "assigneeID", for: command),
                                       isCenter: body.isCenter ?? false, reason: body.require(body.reason, "reason", for: command),
                                       deadline: body.deadline(for: command))
        case "first-check":
            return try ticket.firstCheck(departmentID: body.require(body.departmentID, "departmentID", for: command), finding: body.finding ?? "")
        case "review": return try ticket.review(reviewerID: body.reviewerID ?? caller.id, upheld: body.require(body.upheld, "upheld", for: command))
        case "conclude": return try ticket.conclude(body.require(body.outcome, "outcome", for: command))
        default: return try ticket.evaluate(rating: body.require(body.rating, "rating", for: command), reopen: body.reopen ?? false)
        }
    }
}
