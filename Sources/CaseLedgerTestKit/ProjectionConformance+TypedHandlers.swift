import CaseLedger
import Foundation

extension ProjectionConformance {
    static func typedHandlers(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        // A workload, events written by old code (upcast on read) and events
        // with every kind of metadata.
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 700, cases: 40), to: store, batch: 64)
        var oldRegistry = EventTypeRegistry()
        oldRegistry.register(TestDomain.OpenedV1.self)
        oldRegistry.register(TestDomain.SettledV1.self)
        let old = try StreamName("case-old")
        _ = try await store.append([
            try oldRegistry.encode(TestDomain.OpenedV1(caseID: "case-old", amount: "250")),
            try oldRegistry.encode(TestDomain.SettledV1(caseID: "case-old", finalDelta: -50)),
        ], to: old)
        let rich = EventMetadata(correlationID: UUID(), causationID: UUID(), actor: "auditor", properties: ["b": "2", "a": "1"])
        let meta = try StreamName("case-meta")
        _ = try await store.append([
            try registry.encode(TestDomain.Opened(caseID: "case-meta", amount: 7), metadata: rich),
            try registry.encode(TestDomain.Adjusted(caseID: "case-meta", delta: 5), metadata: rich),
        ], to: meta)

        // The engine (pages of 50), a rebuild and a replay agree with the envelope fold.
        let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 50, saveEvery: 100))
        try await engine.register(TestDomain.Totals())
        try await engine.register(TestDomain.TypedTotals())
        try await engine.catchUp()
        let envelopes = try await engine.state(of: TestDomain.Totals.self)
        try Expect.equal(try await engine.state(of: TestDomain.TypedTotals.self), envelopes, "typed handlers reach the envelope fold's state")
        try Expect.equal(envelopes.amounts["case-old"], 200, "upcast events reach the handlers")
        try Expect.equal(envelopes.amounts["case-meta"], 12, "records with metadata are read in place")
        try Expect.equal(await engine.checkpoint(of: TestDomain.TypedTotals.name), try await store.headPosition(), "checkpoint at the head")
        try await engine.rebuild()
        try Expect.equal(try await engine.state(of: TestDomain.TypedTotals.self), envelopes, "rebuilt the same")
        let replay = try await ProjectionReplayer(store: store, registry: registry, pageSize: 33).replay([TestDomain.TypedTotals()], asOf: .position(300))
        let fromEnvelopes = try await ProjectionReplayer(store: store, registry: registry).replay([TestDomain.Totals()], asOf: .position(300))
        try Expect.equal(replay.state(of: TestDomain.TypedTotals.self), fromEnvelopes.state(of: TestDomain.Totals.self), "replayed the same")

        // Aggregates: typed handlers and apply(_:) agree, upcasts included.
        for stream in [old, meta, try StreamName("case-3")] {
            let plain = try await AggregateRepository<TestDomain.Case>(store: store, registry: registry).load(stream)
            let typed = try await AggregateRepository<TestDomain.TypedCase>(store: store, registry: registry).load(stream)
            try Expect.equal(typed.version, plain.version, "\(stream): version")
            try Expect.equal(typed.state.amount, plain.state.amount, "\(stream): amount")
            try Expect.equal(typed.state.closed, plain.state.closed, "\(stream): closed")
            try Expect.equal(typed.state.adjustments, plain.state.adjustments, "\(stream): adjustments")
        }
        let typedMeta = try await AggregateRepository<TestDomain.TypedCase>(store: store, registry: registry).load(meta)
        try Expect.equal(typedMeta.state.lastVersion, 2, "handlers see the stream version")

        // A failing handler stops the projection just before the bad event.
        let bad = try await store.append([try registry.encode(TestDomain.Opened(caseID: "case-bad", amount: -1))], to: try StreamName("case-bad"))
        let strict = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 64, saveEvery: 1_000))
        try await strict.register(TestDomain.NoNegativeAmounts())
        do {
            try await strict.catchUp()
            throw ConformanceFailure("a negative amount was folded")
        } catch let error as ProjectionError {
            try Expect.equal(error.position, bad.lastPosition, "the error names the bad event's position")
        }
        try Expect.equal(await strict.checkpoint(of: TestDomain.NoNegativeAmounts.name), bad.lastPosition - 1, "checkpoint just before the bad event")
        await store.close()
    }
}
