import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Foundation
import Testing

/// Stopping a follower on PostgreSQL, whose reads honour cancellation: the
/// read under way when the follower is cancelled fails, and that is the
/// stop, not a failure; the follower still folds to the head and saves.
@Suite("PostgreSQL: a follower stopped mid-read stops cleanly")
struct PostgresFollowingStopTests {
    @Test("cancelled while waiting for commits or while folding, follow() returns without error and saves at the head")
    func stopsCleanly() async throws {
        let store = try await PostgresServer.store()
        for round in 0..<6 {
            let engine = ProjectionEngine(store: store, registry: TestDomain.registry, options: ProjectionOptions(pageSize: 7))
            try await engine.register(TestDomain.Totals())
            let following = Task { try await engine.follow() }
            // Appends while it follows; the stop lands at a different point each round.
            try await TestDomain.bulkAppend(try TestDomain.workload(count: 40, start: round * 40), to: store, batch: 5)
            try await Task.sleep(for: .milliseconds(5 * round))
            following.cancel()
            try await following.value
            let head = try await store.headPosition()
            #expect(try await store.loadProjection(slot: TestDomain.Totals.name)?.checkpoint == head, "round \(round): saved at the head \(head)")
            #expect(try await engine.status().first?.state == .stopped, "round \(round): stopped, not failed")
        }
        await store.close()
    }
}
