import CaseLedger
import CaseLedgerLMDB
import CaseLedgerTestKit
import Foundation
import Testing

@Suite("Projections across crashes", .serialized)
struct ProjectionCrashTests {
    /// Kills a process that folds the projection (live catch-up or rebuild)
    /// at random points, then lets it finish: the final state must equal one
    /// uninterrupted replay, so no event was folded twice or skipped.
    @Test("exactly once: SIGKILL during catch-up and during rebuild, then resume", arguments: ["project", "rebuild"])
    func killedWhileFolding(mode: String) async throws {
        let path = temporaryDirectory("projection-crash")
        let (fillStatus, _) = try await StressHelper.run(["fill", path, "30000"])
        try #require(fillStatus == 0)
        var generator = SystemRandomNumberGenerator()
        var resumedFrom: [UInt64] = []
        let slot = mode == "project" ? TestDomain.Totals.name : ProjectionEngine.rebuildSlot(of: TestDomain.Totals.name)
        for _ in 0..<10 {
            // The helper kills itself with SIGKILL after a random number of
            // events, in the middle of a page, between two saves.
            let (status, _) = try await StressHelper.run([mode, path, String(Int.random(in: 250...6_000, using: &generator))])
            #expect(status == 9 || status == 0 || status == -9, "the helper ended with \(status)")
            let store = try LMDBEventStore(path: path)
            if let saved = try await store.loadProjection(slot: slot) { resumedFrom.append(saved.checkpoint) }
            await store.close()
        }
        let (status, output) = try await StressHelper.run([mode, path])
        #expect(status == 0)
        let store = try LMDBEventStore(path: path)
        let replay = try await ProjectionReplayer(store: store, registry: TestDomain.registry).replay([TestDomain.Totals()])
        let expected = try #require(replay.digests[TestDomain.Totals.name])
        #expect(output.contains("done \(expected)"), "resumed \(mode) ended at \(output), a full replay gives \(expected)")
        let stored = try #require(try await store.loadProjection(slot: TestDomain.Totals.name))
        #expect(stored.checkpoint == 30_000)
        #expect(ProjectionDigest.of(encoded: stored.state) == expected, "the stored state equals the replay")
        #expect(resumedFrom.contains { $0 > 0 && $0 < 30_000 }, "at least one kill left a partial checkpoint to resume from: \(resumedFrom)")
        await store.close()
    }
}
