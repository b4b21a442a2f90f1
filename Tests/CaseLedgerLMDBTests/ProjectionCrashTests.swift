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
        let (fillStatus, _) = try StressHelper.run(["fill", path, "60000"])
        try #require(fillStatus == 0)
        var generator = SystemRandomNumberGenerator()
        var resumedFrom: [UInt64] = []
        let slot = mode == "project" ? TestDomain.Totals.name : ProjectionEngine.rebuildSlot(of: TestDomain.Totals.name)
        let observer = try LMDBEventStore(path: path)
        for _ in 0..<10 {
            let before = try await observer.loadProjection(slot: slot)?.checkpoint ?? 0
            let process = try StressHelper.launch([mode, path])
            // Kill only once the run has saved progress beyond where it started,
            // then at a random moment after: the kill lands mid-fold.
            var waited = 0
            while process.isRunning, waited < 1_000 {
                if let now = try await observer.loadProjection(slot: slot)?.checkpoint, now > before { break }
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...60, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if let saved = try await observer.loadProjection(slot: slot) { resumedFrom.append(saved.checkpoint) }
        }
        await observer.close()
        let (status, output) = try StressHelper.run([mode, path])
        #expect(status == 0)
        let store = try LMDBEventStore(path: path)
        let replay = try await ProjectionReplayer(store: store, registry: TestDomain.registry).replay([TestDomain.Totals()])
        let expected = try #require(replay.digests[TestDomain.Totals.name])
        #expect(output.contains("done \(expected)"), "resumed \(mode) ended at \(output), a full replay gives \(expected)")
        let stored = try #require(try await store.loadProjection(slot: TestDomain.Totals.name))
        #expect(stored.checkpoint == 60_000)
        #expect(ProjectionDigest.of(encoded: stored.state) == expected, "the stored state equals the replay")
        #expect(resumedFrom.contains { $0 > 0 && $0 < 60_000 }, "at least one kill left a partial checkpoint to resume from: \(resumedFrom)")
        await store.close()
    }
}
