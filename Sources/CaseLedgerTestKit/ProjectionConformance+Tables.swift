import CaseLedger
import Foundation

extension ProjectionConformance {
    /// A keyed read model on the backend: rows saved by key with the
    /// checkpoint, only changed rows rewritten, read by key, range and
    /// secondary key, and incremental run, rebuild, replay and reload
    /// agreeing by digest.
    static func keyedTables(_ make: StoreFactory) async throws {
        typealias Table = TestDomain.CaseTable
        let store = try await make(nil)
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 600, cases: 20), to: store)
        for n in [3, 7] {
            _ = try await store.append([try registry.encode(TestDomain.Closed(caseID: "case-\(n)"))], to: try StreamName("case-\(n)"))
        }
        let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 64, saveEvery: 100))
        try await engine.register(Table())
        try await engine.catchUp()
        let live = try await engine.state(of: Table.self)
        try Expect.equal(live.cases.count, 18, "18 open cases")
        let utf8Order = { (a: String, b: String) in a.utf8.lexicographicallyPrecedes(b.utf8) }
        /// The secondary key `bucket` read from storage and from the engine
        /// agrees with the live rows.
        func checkBuckets(_ engine: ProjectionEngine, _ what: String) async throws {
            let live = try await engine.state(of: Table.self)
            for bucket in ["b0", "b1", "b2"] {
                let expected = live.cases.keys.filter { key in live.cases[key].map { $0.amount != 0 && Table.Row.bucket(of: $0.amount) == bucket } ?? false }
                    .sorted(by: utf8Order)
                let saved = try await store.savedRows(of: Table.self, in: \.cases, secondaryKey: "bucket", equals: bucket)
                try Expect.equal(saved.map(\.key), expected, "\(what): saved rows with bucket \(bucket)")
                try Expect.equal(saved.map(\.row), expected.compactMap { live.cases[$0] }, "\(what): their rows")
                let fromEngine = try await engine.rows(of: Table.self, in: \.cases, secondaryKey: "bucket", equals: bucket)
                try Expect.equal(fromEngine.map(\.key), expected, "\(what): live rows with bucket \(bucket)")
            }
        }
        try await checkBuckets(engine, "after the first catch-up")

        // Saved rows are the live rows; the saved state holds none itself.
        let saved = try await store.savedRows(of: Table.self, in: \.cases)
        try Expect.equal(saved.map(\.key), live.cases.keys.sorted(by: utf8Order), "saved keys in key order")
        try Expect.equal(saved.map(\.row), live.cases.keys.sorted(by: utf8Order).compactMap { live.cases[$0] }, "saved rows")
        try Expect.that(try await store.savedRow("case-3", of: Table.self, in: \.cases) == nil, "a closed case's row is removed")
        guard let slot = try await store.loadProjection(slot: Table.name) else { throw ConformanceFailure("no saved slot") }
        let small = try BinaryCodec().decode(Table.State.self, from: slot.state)
        try Expect.that(small.cases.isEmpty && small.events == live.events, "the slot keeps the small values, not the rows")
        let range = try await store.savedRows(of: Table.self, in: \.cases, RowRange(from: "case-1", through: "case-19"))
        try Expect.equal(range.map(\.key), ["case-1", "case-10", "case-11", "case-12", "case-13", "case-14", "case-15", "case-16", "case-17", "case-18", "case-19"], "a key range")
        let limited = try await store.savedRows(of: Table.self, in: \.cases, RowRange(from: "case-15", limit: 3))
        try Expect.equal(limited.map(\.key), ["case-15", "case-16", "case-17"], "a range with a limit")

        // One more event changes one row: that row is saved, the others stay.
        _ = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "case-5", delta: 1_000))], to: try StreamName("case-5"))
        try await engine.catchUp()
        let row5 = try await engine.row("case-5", of: Table.self, in: \.cases)
        try Expect.that(row5 != nil && row5 == live.cases["case-5"].map { Table.Row(amount: $0.amount + 1_000, events: $0.events + 1) }, "the live row changed")
        try Expect.equal(try await store.savedRow("case-5", of: Table.self, in: \.cases), row5, "the changed row is saved")
        try Expect.equal(try await store.savedRow("case-6", of: Table.self, in: \.cases), live.cases["case-6"], "another row unchanged")
        let digest = try await engine.digest(of: Table.name)
        try await checkBuckets(engine, "after one row changed")

        // A new engine loads state and rows: the same digest.
        let reloaded = ProjectionEngine(store: store, registry: registry)
        try await reloaded.register(Table())
        try Expect.equal(try await reloaded.digest(of: Table.name), digest, "reloaded from rows")
        let replay = try await ProjectionReplayer(store: store, registry: registry, pageSize: 97).replay([Table()])
        try Expect.equal(replay.digests[Table.name], digest, "replay equals the incremental run")
        let rebuilt = try await engine.rebuild()
        try Expect.equal(rebuilt[Table.name], digest, "a rebuild equals the incremental run")
        try Expect.equal(try await store.savedRows(of: Table.self, in: \.cases).count, 18, "rows after the rebuild")
        try await checkBuckets(engine, "after the rebuild")
        try Expect.equal(try await store.loadRows(slot: ProjectionEngine.rebuildSlot(of: Table.name), table: "cases", .all), [],
                         "the rebuild slot's rows are removed")

        // A state saved whole (before its table was saved as rows) still
        // loads, and its next save writes the rows.
        let whole = try BinaryCodec().encode(try await engine.state(of: Table.self))
        let head = try await store.headPosition()
        try await store.writeReadModels([.deleteProjection(slot: Table.name), .saveProjection(slot: Table.name, StoredProjection(checkpoint: head, state: whole))])
        let older = ProjectionEngine(store: store, registry: registry)
        try await older.register(Table())
        try Expect.equal(try await older.digest(of: Table.name), digest, "a whole saved state loads")
        _ = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "case-6", delta: 1))], to: try StreamName("case-6"))
        try await older.catchUp()
        try Expect.equal(try await store.savedRows(of: Table.self, in: \.cases).count, 18, "every row saved after the whole state")
        try await checkBuckets(older, "after a whole state was saved as rows")
        // Many rows move between buckets at once; the reloaded engine's next
        // saves keep the secondary key right.
        for n in 0..<20 where n != 3 && n != 7 {
            _ = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "case-\(n)", delta: n + 1))], to: try StreamName("case-\(n)"))
        }
        try await older.catchUp()
        try await checkBuckets(older, "after many rows moved")
        _ = try await store.append([try registry.encode(TestDomain.Closed(caseID: "case-9"))], to: try StreamName("case-9"))
        try await older.catchUp()
        try await checkBuckets(older, "after a row was removed")
        let again = ProjectionEngine(store: store, registry: registry)
        try await again.register(Table())
        try Expect.equal(try await again.digest(of: Table.name), try await older.digest(of: Table.name), "and reloads")
        await store.close()
    }
}

extension ProjectionConformance {
    /// Two writers of one keyed slot: an incremental save after another
    /// writer saved the slot is refused by the store and made whole instead,
    /// so the stored rows are always one writer's state; and a keyed inline
    /// projection keeps its rows with every append.
    static func keyedWriters(_ make: StoreFactory) async throws {
        typealias Table = TestDomain.CaseTable
        let store = try await make(nil)
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 200, cases: 10), to: store)
        let a = ProjectionEngine(store: store, registry: registry)
        try await a.register(Table())
        try await a.catchUp()
        let b = ProjectionEngine(store: store, registry: registry)
        try await b.register(Table())
        _ = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "case-1", delta: 5))], to: try StreamName("case-1"))
        try await b.catchUp()
        _ = try await store.append([try registry.encode(TestDomain.Closed(caseID: "case-2"))], to: try StreamName("case-2"))
        try await a.catchUp()
        let replayer = ProjectionReplayer(store: store, registry: registry)
        let checks = try await replayer.checkSaved([Table()], in: store)
        try Expect.that(checks.first?.agrees == true, "after two writers the saved slot matches the log: \(checks)")
        try Expect.equal(checks.first?.savedCheckpoint, 202, "the last writer's checkpoint")
        let reloaded = ProjectionEngine(store: store, registry: registry)
        try await reloaded.register(Table())
        try Expect.equal(try await reloaded.digest(of: Table.name), try await a.digest(of: Table.name), "the last writer's state")
        try Expect.that(try await store.savedRow("case-2", of: Table.self, in: \.cases) == nil, "its removal saved")

        let expected = try await a.digest(of: Table.name)
        await store.close()

        // The same read model inline, saved with every append.
        let inline = InlineProjections(registry: registry, [Table()])
        let inlineStore = try await make(inline)
        try await TestDomain.append(try TestDomain.workload(count: 200, cases: 10), to: inlineStore)
        _ = try await inlineStore.append([try registry.encode(TestDomain.Adjusted(caseID: "case-1", delta: 5))], to: try StreamName("case-1"))
        _ = try await inlineStore.append([try registry.encode(TestDomain.Closed(caseID: "case-2"))], to: try StreamName("case-2"))
        guard let live = inline.state(of: Table.self) else { throw ConformanceFailure("no inline state") }
        try Expect.equal(try ProjectionDigest.of(live), expected, "inline and asynchronous agree")
        let inlineChecks = try await ProjectionReplayer(store: inlineStore, registry: registry).checkSaved([Table()], in: inlineStore)
        try Expect.that(inlineChecks.first?.agrees == true && inlineChecks.first?.savedCheckpoint == 202, "inline rows saved with the appends: \(inlineChecks)")
        try Expect.that(try await inlineStore.savedRow("case-2", of: Table.self, in: \.cases) == nil, "a removed row is removed inline too")
        await inlineStore.close()
    }
}
