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
}
