import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import CaseWorkload
import Foundation
import Testing

/// The way a service uses the library: the four city read models follow
/// live while request handlers append and wait until their write is visible.
@Suite("A service's read models follow live")
struct ServiceShapedTests {
    @Test("16 clients append ratings and wait for them, 100 times; nothing lost, nothing folded twice")
    func waitingAppenders() async throws {
        let path = NSTemporaryDirectory() + "caseledger-service-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try LMDBEventStore(path: path)
        _ = try await CityWorkload(WorkloadConfiguration(scale: 0.01, seed: 3)).generate(into: store)
        let registry = CaseEvents.registry()
        let engine = ProjectionEngine(store: store, registry: registry)
        try await CityProjections.register(in: engine)
        try await engine.start()
        let before = try await CityReport.live(engine).evaluations.ratings
        let desk = CaseDesk(store: store, registry: registry)
        let rounds = 100
        let clients = 16
        for round in 0..<rounds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        let written = try await desk.rate(ratingID: "svc-\(round)-\(client)", unitID: "unit-\(client % 7)", score: 1 + client % 5)
                        let position = written.map(\.lastPosition).max() ?? 0
                        try await engine.waitUntilCaughtUp(to: position)
                    }
                }
                try await group.waitForAll()
            }
        }
        let report = try await CityReport.live(engine)
        #expect(report.evaluations.ratings == before + rounds * clients, "every rating visible once")
        try await engine.stop()
        // The followed read models equal a replay of the whole log.
        let replay = try await ProjectionReplayer(store: store, registry: registry).replay(CityProjections.all)
        #expect(report.digests == replay.digests)
        await store.close()
    }
}
