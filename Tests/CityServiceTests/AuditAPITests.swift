import CaseLedger
import Foundation
import Hummingbird
import Testing
@testable import CityService

@Suite("City service: the audit console's calls")
struct AuditAPITests {
    @Test("verification reports the chain and each saved read model; the last signed checkpoint is served; status shows lag and state")
    func audit() async throws {
        try await CityHarness.with { city in
            try await city.fileAndAssign("T-1")
            #expect(try await city.get("/api/checkpoint", as: "auditor").status == .notFound, "none kept yet")
            let key = AuditSigningKey()
            let first = try await key.checkpoint(city.server.store)
            try await SignedCheckpoint.save([first], in: city.server.store)
            let filed = try await city.file("T-2")
            let second = try await key.checkpoint(city.server.store)
            try await SignedCheckpoint.save([first, second], in: city.server.store)
            let checkpoint = try await city.get("/api/checkpoint", as: "auditor")
            #expect(checkpoint.status == .ok && (checkpoint.json["position"] as? NSNumber)?.uint64Value == filed.position, "the last one: \(checkpoint.text)")
            #expect(checkpoint.json["signature"] as? String == second.signature)

            try await city.server.engine.save()
            let verified = try await city.post("/api/verify", as: "auditor")
            #expect(verified.status == .ok && verified.json["valid"] as? Bool == true, "\(verified.text)")
            #expect((verified.json["events"] as? NSNumber)?.uint64Value == filed.position)
            let models = verified.json["readModels"] as? [[String: Any]] ?? []
            #expect(models.count == 4 && models.allSatisfy { $0["agrees"] as? Bool == true }, "\(verified.text)")

            let status = try await city.get("/api/status?after=\(filed.position)", as: "auditor")
            #expect(status.array.count == 4 && status.array.allSatisfy { $0["state"] as? String == "live" && $0["head"] as? Int == Int(filed.position) },
                    "\(status.text)")
        }
    }

    @Test("the event feed by category: server-sent events from a position, each an export line with its hash, ended by until")
    func feed() async throws {
        try await CityHarness.with { city in
            try await city.file("T-1")
            let rated = try await city.post("/api/ratings", as: "citizen", #"{"ratingID": "r-1", "unitID": "unit-001", "score": 5}"#)
            try await city.file("T-2")
            let last = try await city.post("/api/ratings", as: "citizen", #"{"ratingID": "r-2", "unitID": "unit-002", "score": 3}"#)
            let feed = try await city.get("/api/feed?category=evaluation&from=1&until=\(last.position)", as: "auditor")
            #expect(feed.status == .ok)
            let events = feed.text.split(separator: "\n").filter { $0.hasPrefix("data: {") }
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any] }
            #expect(events.map { $0["position"] as? Int ?? 0 } == [Int(rated.position), Int(last.position)], "only the ratings: \(feed.text)")
            #expect(events.allSatisfy { ($0["hash"] as? String)?.count == 64 && $0["type"] as? String == "RatingSubmitted" })
            #expect(feed.text.hasSuffix("event: end\ndata: \(last.position)\n\n"), "ended at until")
        }
    }
}
