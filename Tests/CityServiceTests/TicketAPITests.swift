import CaseLedger
import Foundation
import Hummingbird
import Testing
@testable import CityService

@Suite("City service: tickets through the API")
struct TicketAPITests {
    @Test("a ticket goes through the seven steps; each command returns the new version; its row and history follow")
    func sevenSteps() async throws {
        try await CityHarness.with { city in
            let filed = try await city.file("T-1")
            #expect(filed.status == .created && filed.version == 1 && filed.etag == "\"1\"", "\(filed.text)")
            #expect(filed.json["stream"] as? String == "ticket-T-1")
            let steps: [(String, String, String)] = [
                ("assess", "center", #"{"risk": "high", "earlyWarning": false}"#),
                ("assign", "center", #"{"assigneeID": "unit-001", "level": "village", "deadline": "2030-01-01T00:00:00Z"}"#),
                ("take", "unit", "{}"),
                ("handle", "unit", #"{"action": "mediated", "note": "both sides met"}"#),
                ("conclude", "unit", #"{"outcome": "resolved"}"#),
                ("evaluate", "citizen", #"{"rating": 5}"#),
            ]
            var version: UInt64 = 1
            var position: UInt64 = 0
            for (command, token, body) in steps {
                let reply = try await city.post("/api/tickets/T-1/\(command)", as: token, body, ifMatch: "\"\(version)\"")
                #expect(reply.status == .created, "\(command): \(reply.text)")
                #expect(reply.version == version + 1, "\(command) returns the new version")
                version = reply.version
                position = reply.position
            }
            let ticket = try await city.get("/api/tickets/T-1?after=\(position)", as: "citizen")
            #expect(ticket.status == .ok && ticket.etag == "\"7\"", "\(ticket.text)")
            let state = ticket.json["ticket"] as? [String: Any]
            #expect(state?["step"] as? String == "closed" && state?["rating"] as? Int == 5, "\(ticket.text)")
            #expect(state?["filerID"] as? String == "citizen-1" && state?["assigneeID"] as? String == "unit-001")
            let history = try await city.get("/api/tickets/T-1/history", as: "auditor")
            let events = history.json["events"] as? [[String: Any]] ?? []
            #expect(events.map { $0["type"] as? String ?? "" } == ["TicketFiled", "TicketAssessed", "TicketAssigned", "TicketTaken", "TicketHandled", "TicketConcluded", "TicketEvaluated"])
            #expect(events.allSatisfy { ($0["hash"] as? String)?.count == 64 }, "each event with its hash")
            #expect(events.first?["metadata"].flatMap { ($0 as? [String: Any])?["actor"] as? String } == "citizen:citizen-1", "the actor is recorded")
            let report = try await city.get("/api/report?after=\(position)", as: "auditor")
            let tickets = report.json["tickets"] as? [String: Any]
            #expect(tickets?["accepted"] as? Int == 1 && tickets?["concluded"] as? Int == 1, "\(report.text)")
        }
    }

    @Test("If-Match: a stale version is 412 and writes nothing; a malformed one is 400")
    func ifMatch() async throws {
        try await CityHarness.with { city in
            try await city.file("T-2")
            try await city.post("/api/tickets/T-2/assess", as: "center", #"{"risk": "low"}"#)
            let head = try await city.head()
            let stale = try await city.post("/api/tickets/T-2/assign", as: "center",
                                            #"{"assigneeID": "unit-001", "level": "village", "deadline": "2030-01-01T00:00:00Z"}"#, ifMatch: "\"1\"")
            #expect(stale.status == .preconditionFailed && stale.error == "wrong-expected-version", "\(stale.text)")
            let malformed = try await city.post("/api/tickets/T-2/assign", as: "center", "{}", ifMatch: "yesterday")
            #expect(malformed.status == .badRequest, "\(malformed.text)")
            #expect(try await city.head() == head, "nothing written")
            let fresh = try await city.post("/api/tickets/T-2/assign", as: "center",
                                            #"{"assigneeID": "unit-001", "level": "village", "deadline": "2030-01-01T00:00:00Z"}"#, ifMatch: "W/\"2\"")
            #expect(fresh.status == .created && fresh.version == 3, "\(fresh.text)")
        }
    }

    @Test("domain rules answer 409 or 422 with the rule's code; malformed input 400 with a clear message; nothing is written")
    func refusals() async throws {
        try await CityHarness.with { city in
            try await city.file("T-3")
            let head = try await city.head()
            let early = try await city.post("/api/tickets/T-3/conclude", as: "center", #"{"outcome": "resolved"}"#)
            #expect(early.status == .conflict && early.error == "stepOutOfOrder", "\(early.text)")
            let again = try await city.file("T-3")
            #expect(again.status == .conflict && again.error == "alreadyExists", "\(again.text)")
            let cases: [(String, String, String, HTTPResponse.Status, String)] = [
                ("/api/tickets/T-3/assess", "center", #"{"risk": "enormous"}"#, .badRequest, "risk"),
                ("/api/tickets/T-3/assess", "center", #"{"risk": "high""#, .badRequest, "not valid JSON"),
                ("/api/tickets/T-3/assess", "center", "{}", .badRequest, "needs the field risk"),
                ("/api/tickets/T-3/assign", "center", #"{"assigneeID": "unit-001", "level": "village", "deadline": "soon"}"#, .badRequest, "ISO 8601"),
                ("/api/tickets/T-3/launch", "center", "{}", .notFound, "no ticket command launch"),
                ("/api/tickets/T-9/assess", "center", #"{"risk": "high"}"#, .notFound, "does not exist"),
                ("/api/tickets", "citizen", #"{"ticketID": "T-4"}"#, .badRequest, "missing field"),
            ]
            for (path, token, body, status, words) in cases {
                let reply = try await city.post(path, as: token, body)
                #expect(reply.status == status && (reply.json["message"] as? String ?? "").contains(words), "\(path) \(body): \(reply.text)")
            }
            try await city.fileAndAssign("T-5")
            let badRating = try await city.post("/api/tickets/T-5/conclude", as: "unit", #"{"outcome": "resolved"}"#)
            #expect(badRating.status == .created)
            let nine = try await city.post("/api/tickets/T-5/evaluate", as: "citizen", #"{"rating": 9}"#)
            #expect(nine.status == .unprocessableContent && nine.error == "invalidRating", "\(nine.text)")
            let ticketFive = try await city.get("/api/tickets/T-5", as: "citizen")
            #expect(ticketFive.etag == "\"5\"", "the refused rating wrote nothing: \(ticketFive.text)")
            #expect(try await city.head() == head + 5, "only the accepted commands wrote")
        }
    }
}
