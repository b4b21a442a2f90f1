import CaseLedger
import Foundation
import Hummingbird
import Testing
@testable import CityService

@Suite("City service: roles")
struct RoleTests {
    @Test("every forbidden request answers 403 (401 without a token) and writes nothing")
    func forbidden() async throws {
        try await CityHarness.with { city in
            try await city.fileAndAssign("T-1")
            try await city.post("/api/checkups/C-1/schedule", as: "center", #"{"enterpriseID": "ent-1", "centerID": "center-village-0001"}"#)
            try await city.post("/api/cases/E-1/open", as: "department", """
                {"department": "market-regulation", "enterpriseID": "ent-1", "violation": "late filing", "legalBasis": "art. 3",
                 "fineMinimum": 1000, "fineMaximum": 5000}
                """)
            let head = try await city.head()
            let assign = #"{"assigneeID": "unit-002", "level": "village", "deadline": "2030-01-01T00:00:00Z"}"#
            let forbidden: [(HTTPRequest.Method, String, String, String?)] = [
                // A citizen: files only as themself, acts on no step, reads and rates only their own tickets.
                (.post, "/api/tickets", "citizen", #"{"ticketID": "T-2", "channel": "evaluationApp", "category": "hardship", "summary": "x", "level": "village", "centerID": "center-village-0001", "filerID": "citizen-2"}"#),
                (.post, "/api/tickets/T-1/handle", "citizen", #"{"action": "worked"}"#),
                (.post, "/api/tickets/T-1/evaluate", "other-citizen", #"{"rating": 1}"#),
                (.get, "/api/tickets/T-1", "other-citizen", nil),
                (.get, "/api/tickets/T-1/history", "other-citizen", nil),
                (.post, "/api/checkups/C-1/conduct", "citizen", #"{"areas": ["compliance"]}"#),
                (.post, "/api/cases/E-1/assess-impact", "citizen", #"{"jobsAffected": 3}"#),
                (.get, "/api/units/unit-001", "citizen", nil),
                (.get, "/api/feed", "citizen", nil),
                (.get, "/api/streams/ticket-T-1", "citizen", nil),
                // An officer: only tickets of their unit or center, check-ups of their center, cases of their department.
                (.post, "/api/tickets/T-1/handle", "other-unit", #"{"action": "worked"}"#),
                (.post, "/api/tickets/T-1/escalate", "other-unit", #"{"level": "town", "assigneeID": "unit-002", "reason": "overdue", "deadline": "2030-01-01T00:00:00Z"}"#),
                (.get, "/api/tickets/T-1", "other-unit", nil),
                (.post, "/api/tickets/T-1/evaluate", "unit", #"{"rating": 5}"#),
                (.post, "/api/tickets/T-1/take", "unit", #"{"officerID": "officer-u9"}"#),
                (.get, "/api/feed", "unit", nil),
                (.post, "/api/ratings", "unit", #"{"ratingID": "r-1", "unitID": "unit-001", "score": 5}"#),
                (.post, "/api/checkups/C-1/conduct", "unit", #"{"areas": ["compliance"]}"#),
                (.post, "/api/checkups/C-2/schedule", "unit", #"{"enterpriseID": "ent-1", "centerID": "center-village-0001"}"#),
                (.post, "/api/cases/E-1/assess-impact", "unit", #"{"jobsAffected": 3}"#),
                (.post, "/api/cases/E-2/open", "unit", #"{"department": "market-regulation", "enterpriseID": "ent-1", "violation": "v", "legalBasis": "b", "fineMinimum": 1, "fineMaximum": 2}"#),
                (.post, "/api/verify", "unit", nil),
                (.post, "/api/rebuild", "center", nil),
                // An auditor reads and verifies; it never writes or rebuilds.
                (.post, "/api/tickets", "auditor", #"{"ticketID": "T-3", "channel": "evaluationApp", "category": "hardship", "summary": "x", "level": "village", "centerID": "center-village-0001", "filerID": "citizen-1"}"#),
                (.post, "/api/tickets/T-1/assign", "auditor", assign),
                (.post, "/api/ratings", "auditor", #"{"ratingID": "r-2", "unitID": "unit-001", "score": 5}"#),
                (.post, "/api/checkups/C-1/conduct", "auditor", #"{"areas": ["compliance"]}"#),
                (.post, "/api/cases/E-1/assess-impact", "auditor", #"{"jobsAffected": 3}"#),
                (.post, "/api/rebuild", "auditor", nil),
            ]
            for (method, path, token, body) in forbidden {
                let reply = try await city.call(method, path, as: token, body)
                #expect(reply.status == .forbidden && reply.error == "forbidden", "\(token) \(method) \(path): \(reply.status) \(reply.text)")
            }
            for (method, path) in [(HTTPRequest.Method.get, "/api/report"), (.post, "/api/tickets/T-1/handle"), (.get, "/api/whoami")] {
                let anonymous = try await city.call(method, path, as: nil, method == .post ? "{}" : nil)
                #expect(anonymous.status == .unauthorized, "\(path) without a token: \(anonymous.text)")
                let unknown = try await city.call(method, path, as: "forged", method == .post ? "{}" : nil)
                #expect(unknown.status == .unauthorized, "\(path) with an unknown token: \(unknown.text)")
            }
            #expect(try await city.head() == head, "no forbidden request wrote")

            // What each role may do, it can.
            #expect(try await city.get("/api/tickets/T-1", as: "citizen").status == .ok, "the filer reads their ticket")
            #expect(try await city.get("/api/tickets/T-1", as: "unit").status == .ok, "the assigned unit reads it")
            #expect(try await city.get("/api/tickets/T-1", as: "auditor").status == .ok, "an auditor reads everything")
            #expect(try await city.get("/api/streams/ticket-T-1", as: "auditor").status == .ok)
            let verified = try await city.post("/api/verify", as: "auditor")
            #expect(verified.status == .ok && verified.json["valid"] as? Bool == true, "\(verified.text)")
            let rebuilt = try await city.post("/api/rebuild", as: "admin")
            #expect(rebuilt.status == .ok && (rebuilt.json["digests"] as? [String: Any])?.count == 4, "\(rebuilt.text)")
            #expect(try await city.post("/api/tickets/T-1/handle", as: "admin", #"{"action": "worked"}"#).status == .created, "an administrator acts on any ticket")
        }
    }
}
