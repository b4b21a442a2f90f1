import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation
import Testing

@Suite("The case desk, end to end")
struct CaseDeskTests {
    @Test("commands through the store, read models through the live engine, refusals write nothing")
    func endToEnd() async throws {
        let path = NSTemporaryDirectory() + "caseledger-desk-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try LMDBEventStore(path: path)
        let desk = CaseDesk(store: store, snapshots: .every(5))
        let engine = ProjectionEngine(store: store, registry: desk.registry)
        try await CityProjections.register(in: engine)
        try await engine.start()

        try await desk.ticket("t1") { try $0.file("t1", channel: .householdWhistle, category: .neighbourDispute, filerID: "c1", summary: "fence", level: .group, centerID: "center-village-0001") }
        try await desk.ticket("t1") { try $0.assess(risk: .low) }
        try await desk.ticket("t1") { try $0.assign(to: "center-village-0001", isCenter: true, level: .group, deadline: Timestamp(microsecondsSince1970: 1)) }
        let head = try await store.headPosition()
        await #expect(throws: DomainRuleError.self) { try await desk.ticket("t1") { try $0.evaluate(rating: 5) } }
        #expect(try await store.headPosition() == head, "a refused command writes nothing")
        try await desk.ticket("t1") { try $0.conclude(.mediated) }
        try await desk.rate(ratingID: "r1", unitID: "unit-001", officerID: "officer-0001", isLeader: true, score: 4,
                            clue: ("t2", .hardship, "c2", "heating", "center-town-001", .county))
        try await desk.checkup("k1") { try $0.schedule("k1", enterpriseID: "ent-1", centerID: "pls-1", lawyer: "l", at: Timestamp(microsecondsSince1970: 0)) }
        try await desk.enforcement("e1") { try $0.open("e1", department: "market", enterpriseID: "ent-1", violation: "v", legalBasis: "b", fineMinimum: 100, fineMaximum: 1_000) }
        try await desk.enforcement("e1") { try $0.assessImpact(summary: "s", jobsAffected: 1) }
        try await desk.enforcement("e1") { try $0.decide(.noPenalty, fine: 0, reasoning: DecisionReasoning(facts: "f", legalBasis: "b", listItem: "i")) }

        let position = try await store.headPosition()
        try await engine.waitUntilCaughtUp(to: position)
        let report = try await CityReport.live(engine)
        #expect(report.tickets.accepted == 2)
        #expect(report.tickets.settledByLevel["group"] == 1)
        #expect(report.tickets.disputeResolutionRate == 1)
        #expect(report.evaluations.ratings == 1)
        #expect(report.evaluations.leaders == 1)
        #expect(report.checkups.checkups == 1)
        #expect(report.enforcement.byList.noPenalty == 1)
        #expect(report.enforcement.threeDocumentsTogetherRate == 0)
        #expect((try await desk.loadTicket("t2")).isClue)
        let json = try report.json()
        for key in ["\"completionRate\"", "\"disputeResolutionRate\"", "\"settledByLevel\"", "\"threeDocumentsTogetherRate\"", "\"exemptFromCompulsory\"", "\"digests\""] {
            #expect(json.contains(key), "report JSON has \(key)")
        }
        try await engine.stop()
        await store.close()
    }
}
