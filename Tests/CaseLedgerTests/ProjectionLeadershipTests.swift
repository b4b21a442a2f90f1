import CaseLedger
import CaseLedgerTestKit
import Testing

/// A lease the test hands out and takes back.
actor TestLease: ProjectionLeadership {
    private var granted = false
    private var term: Task<Void, any Error>?
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func grant() {
        granted = true
        for w in waiting { w.resume() }
        waiting = []
    }

    func revoke() {
        granted = false
        term?.cancel()
    }

    private func waitForGrant() async {
        while !granted { await withCheckedContinuation { waiting.append($0) } }
    }

    private func started(_ task: Task<Void, any Error>) -> Bool {
        guard granted else { return false }
        term = task
        return true
    }

    nonisolated func lead(_ name: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        while !Task.isCancelled {
            await waitForGrant()
            let task = Task { try await body() }
            guard await started(task) else {
                task.cancel()
                continue
            }
            try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            if Task.isCancelled { return }
        }
    }
}

@Suite("Projection engine with a leadership lease")
struct ProjectionLeadershipTests {
    static func state(_ engine: ProjectionEngine) async throws -> ProjectionRunState? {
        try await engine.status().first?.state
    }

    static func waitFor(_ engine: ProjectionEngine, _ state: ProjectionRunState) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await Self.state(engine) != state && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await Self.state(engine) == state)
    }

    @Test("standing by, the engine folds in memory and saves nothing; leading, it saves; the lease lost, it stands by again")
    func standbyAndTerms() async throws {
        let store = InMemoryEventStore()
        let events = try TestDomain.workload(count: 300)
        let lease = TestLease()
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry, options: ProjectionOptions(saveEvery: 1, saveInterval: .zero))
        try await engine.register(TestDomain.Totals())
        let following = Task { try await engine.follow(leadership: lease, name: "totals") }

        // Standing by: read-your-writes still works, in memory; nothing is saved.
        try await Self.waitFor(engine, .standby)
        try await TestDomain.bulkAppend(Array(events[0..<100]), to: store, batch: 10)
        try await engine.waitUntilCaughtUp(to: 100)
        try await engine.save()
        #expect(try await store.loadProjection(slot: TestDomain.Totals.name) == nil, "a replica standing by never saves")

        // Leading: follows and saves.
        await lease.grant()
        try await Self.waitFor(engine, .live)
        try await TestDomain.bulkAppend(Array(events[100..<200]), to: store, batch: 10)
        try await engine.waitUntilCaughtUp(to: 200)
        let deadline = ContinuousClock.now + .seconds(60)
        while try await store.loadProjection(slot: TestDomain.Totals.name)?.checkpoint != 200 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await store.loadProjection(slot: TestDomain.Totals.name)?.checkpoint == 200)

        // The lease lost: standing by again; what it folds is not saved.
        await lease.revoke()
        try await Self.waitFor(engine, .standby)
        try await TestDomain.bulkAppend(Array(events[200..<300]), to: store, batch: 10)
        try await engine.waitUntilCaughtUp(to: 300)
        try await engine.save()
        #expect(try await store.loadProjection(slot: TestDomain.Totals.name)?.checkpoint == 200)

        // Leading again: it starts from what was saved and folds each event once.
        await lease.grant()
        try await Self.waitFor(engine, .live)
        try await engine.waitUntilCaughtUp(to: 300)
        let replay = try await ProjectionReplayer(store: store, registry: TestDomain.registry).replay([TestDomain.Totals()])
        #expect(try await engine.digest(of: TestDomain.Totals.name) == replay.digests[TestDomain.Totals.name])

        following.cancel()
        try await following.value
        #expect(try await Self.state(engine) == .stopped)
    }
}
