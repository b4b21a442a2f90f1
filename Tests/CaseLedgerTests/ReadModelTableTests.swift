@testable import CaseLedger
import CaseLedgerTestKit
import Foundation
import Testing

/// Keyed read-model tables: a save costs the rows that changed, a failed
/// save loses no change, and a table encodes as the dictionary it replaces.
@Suite("Read-model tables")
struct ReadModelTableTests {
    typealias Table = TestDomain.CaseTable
    typealias SaveCounter = ProjectionEngineConcurrencyTests.SaveCounter

    /// The row writes of one save, by table.
    static func rowWrites(_ writes: [ReadModelWrite]) -> [(table: String, keys: [String], deleted: [String])] {
        writes.compactMap {
            // The layout row ("$layout") goes with every whole save; the tables' rows are what count.
            if case .saveRows(_, let table, let rows, let deleted) = $0, !table.hasPrefix("$") { return (table, rows.map(\.key), deleted) }
            return nil
        }
    }

    static func amount(_ n: Int, in state: Table.State) -> Int { state.cases["case-\(n)"]?.amount ?? 0 }

    /// A new engine loads from the store the state `engine` holds.
    static func expectReloadsAs(_ engine: ProjectionEngine, from store: some ReadModelStore) async throws {
        let reloaded = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await reloaded.register(Table())
        #expect(try await reloaded.digest(of: Table.name) == (try await engine.digest(of: Table.name)), "reloaded from the saved state and rows")
    }

    static func adjust(_ n: Int, by delta: Int, in store: some EventStore) async throws {
        _ = try await store.append([try TestDomain.registry.encode(TestDomain.Adjusted(caseID: "case-\(n)", delta: delta))], to: try StreamName("case-\(n)"))
    }

    @Test("a save writes the state and only the rows changed since the last save")
    func savesChangedRows() async throws {
        let store = SaveCounter(InMemoryEventStore())
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 400, cases: 20), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(Table())
        try await engine.catchUp()
        let first = try #require(store.recorded.withLock { $0.last })
        #expect(first.first == .deleteProjection(slot: Table.name), "the first save replaces whatever the slot held")
        #expect(Self.rowWrites(first).first?.keys.count == 20, "the first save writes every row")

        try await Self.adjust(5, by: 3, in: store)
        try await engine.catchUp()
        let second = try #require(store.recorded.withLock { $0.last })
        let firstCheckpoint = first.compactMap { write -> UInt64? in
            if case .saveProjection(_, let saved) = write { return saved.checkpoint }
            return nil
        }.first
        #expect(second.first == .requireCheckpoint(slot: Table.name, firstCheckpoint), "an incremental save requires the checkpoint it follows")
        #expect(second.count == 4, "the check, the state, one row and its secondary key entry: \(second.count) writes")
        #expect(Self.rowWrites(second).map(\.keys) == [["case-5"], ["b\(abs(Self.amount(5, in: try await engine.state(of: Table.self))) % 3)\u{1F}case-5"]])
        #expect(Self.rowWrites(second).map(\.deleted) == [[], []], "adding 3 keeps the bucket: nothing to remove")

        _ = try await store.append([try TestDomain.registry.encode(TestDomain.Closed(caseID: "case-6"))], to: try StreamName("case-6"))
        try await engine.catchUp()
        let third = try #require(store.recorded.withLock { $0.last })
        #expect(Self.rowWrites(third).map(\.deleted) == [["case-6"]], "a removed row is deleted")
        #expect(try await store.savedRow("case-6", of: Table.self, in: \.cases) == nil)
        await store.close()
    }

    @Test("a failed save loses no change: the next save writes it")
    func failedSaveKeepsChanges() async throws {
        let store = SaveCounter(InMemoryEventStore())
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 200, cases: 10), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(Table())
        try await engine.catchUp()
        let before7 = Self.amount(7, in: try await engine.state(of: Table.self))
        let before8 = Self.amount(8, in: try await engine.state(of: Table.self))
        try await Self.adjust(7, by: 100, in: store)
        store.failNext.withLock { $0 = true }
        await #expect(throws: EventStoreError.self) { try await engine.catchUp() }
        #expect(try await store.savedRow("case-7", of: Table.self, in: \.cases) != (try await engine.row("case-7", of: Table.self, in: \.cases)),
                "the failed save wrote nothing")
        try await Self.adjust(8, by: 1, in: store)
        try await engine.catchUp()
        let last = try #require(store.recorded.withLock { $0.last })
        #expect(Self.rowWrites(last).first?.keys == ["case-7", "case-8"], "both changes saved")
        #expect(Self.rowWrites(last).last?.deleted == ["b\(abs(before7) % 3)\u{1F}case-7", "b\(abs(before8) % 3)\u{1F}case-8"],
                "the secondary key entries the rows left are removed")
        try await Self.expectReloadsAs(engine, from: store)
        await store.close()
    }

    @Test("rows added after loading a table saved empty are saved")
    func emptyTableLoaded() async throws {
        let store = InMemoryEventStore()
        try await store.writeReadModels([.saveProjection(slot: Table.name, StoredProjection(checkpoint: 0, state: try BinaryCodec().encode(Table().initialState())))])
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(Table())
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 100, cases: 10), to: store)
        try await engine.catchUp()
        #expect(try await store.savedRows(of: Table.self, in: \.cases).count == 10)
        try await Self.expectReloadsAs(engine, from: store)
        await store.close()
    }

    @Test("saved read models are checked against a replay of the log: a changed or missing row, secondary entry or layout is found")
    func savedReadModelsChecked() async throws {
        let store = InMemoryEventStore()
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 300, cases: 10), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(Table())
        try await engine.catchUp()
        let replayer = ProjectionReplayer(store: store, registry: TestDomain.registry)
        let good = try await replayer.checkSaved([Table(), TestDomain.Totals()], in: store)
        #expect(good.map(\.agrees) == [true, true])
        let liveDigest = try await engine.digest(of: Table.name)
        #expect(good[0].savedCheckpoint == 300 && good[0].savedDigest == liveDigest)
        #expect(good[1].savedCheckpoint == nil, "a projection never saved has nothing to check")

        // Secondary-key entries and the layout are checked against the saved state.
        let entries = try await store.loadRows(slot: Table.name, table: "cases@bucket", .all)
        let entry = try #require(entries.first)
        try await store.writeReadModels([.saveRows(slot: Table.name, table: "cases@bucket", rows: [], deleting: [entry.key])])
        let missingEntry = try #require(try await replayer.checkSaved([Table()], in: store).first)
        #expect(!missingEntry.agrees && missingEntry.problem?.contains("cases@bucket") == true, "a missing secondary entry: \(missingEntry)")
        try await store.writeReadModels([.saveRows(slot: Table.name, table: "cases@bucket", rows: [entry], deleting: [])])
        #expect(try await replayer.checkSaved([Table()], in: store).first?.agrees == true, "the entry restored")
        let layout = try #require(try await store.loadRows(slot: Table.name, table: "$layout", .all).first)
        try await store.writeReadModels([.saveRows(slot: Table.name, table: "$layout", rows: [ReadModelRow(key: layout.key, value: Array("1:cases()".utf8))], deleting: [])])
        #expect(try await replayer.checkSaved([Table()], in: store).first?.problem?.contains("$layout") == true, "a changed layout")
        try await store.writeReadModels([.saveRows(slot: Table.name, table: "$layout", rows: [layout], deleting: [])])

        let row = try #require(try await store.savedRow("case-4", of: Table.self, in: \.cases))
        let changed = ReadModelRow(key: "case-4", value: try BinaryCodec().encode(Table.Row(amount: row.amount + 1, events: row.events)))
        try await store.writeReadModels([.saveRows(slot: Table.name, table: "cases", rows: [changed], deleting: [])])
        let afterChange = try await replayer.checkSaved([Table()], in: store)
        #expect(afterChange.first?.agrees == false, "a changed row")

        try await store.writeReadModels([.saveRows(slot: Table.name, table: "cases", rows: [ReadModelRow(key: "case-4", value: try BinaryCodec().encode(row))], deleting: ["case-5"])])
        #expect(try await replayer.checkSaved([Table()], in: store).first?.agrees == false, "a missing row")

        try await store.writeReadModels([.saveRows(slot: Table.name, table: "cases", rows: [ReadModelRow(key: "case-5", value: [0xFF])], deleting: [])])
        let undecodable = try #require(try await replayer.checkSaved([Table()], in: store).first)
        #expect(!undecodable.agrees && undecodable.problem?.contains("does not decode") == true, "\(undecodable)")
        await store.close()
    }

    /// A read model that can replace its table, with a second table it does
    /// not list (saved with the state).
    struct Replacing: Projection {
        static let name = "replacing"
        struct State: Codable, Sendable, Hashable, KeyedReadModel {
            var count = 0
            var listed = ReadModelTable<Int>()
            var unlisted = ReadModelTable<Int>()
            static let tables: [ReadModelTableKey<State>] = [.table("listed", \.listed, secondaryKeys: ["parity": { $0 % 2 == 0 ? "even" : "odd" }])]
        }
        var filter: EventFilter { EventFilter(categories: ["case"]) }
        func initialState() -> State { State() }
        func apply(_ envelope: EventEnvelope, to state: inout State) throws {
            state.count += 1
            let n = state.count
            state.listed["k\(n)"] = n
            state.unlisted["u\(n)"] = n
            // Every 10th event keeps only the last five rows, by replacing the table.
            if n % 10 == 0 {
                state.listed = ReadModelTable(state.listed.rows.filter { $0.value > n - 5 })
            }
        }
    }

    @Test("a table replaced by the fold is saved whole (no stale rows or secondary entries); an unlisted table stays in the state")
    func replacedTable() async throws {
        let store = InMemoryEventStore()
        // 29 events: 25 of cases, 4 of noise.
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 29), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry, options: ProjectionOptions(pageSize: 3, saveEvery: 4))
        try await engine.register(Replacing())
        try await engine.catchUp()
        let live = try await engine.state(of: Replacing.self)
        #expect(live.listed.keys.sorted() == ["k16", "k17", "k18", "k19", "k20", "k21", "k22", "k23", "k24", "k25"])
        let saved = try await store.savedRows(of: Replacing.self, in: \.listed)
        #expect(saved.map(\.key) == live.listed.keys.sorted(), "no row of a replaced table survives")
        let even = try await store.savedRows(of: Replacing.self, in: \.listed, secondaryKey: "parity", equals: "even")
        #expect(even.map(\.row) == [16, 18, 20, 22, 24], "no stale secondary entry")
        let reloaded = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await reloaded.register(Replacing())
        let again = try await reloaded.state(of: Replacing.self)
        #expect(again == live && again.unlisted.count == 25, "the unlisted table is saved with the state")
        #expect(try await ProjectionReplayer(store: store, registry: TestDomain.registry).checkSaved([Replacing()], in: store).first?.agrees == true)
        await store.close()
    }

    @Test("a slot another engine saved since is saved whole, never left half one engine's rows and half the other's")
    func secondWriter() async throws {
        let store = SaveCounter(InMemoryEventStore())
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 200, cases: 10), to: store)
        let first = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await first.register(Table())
        try await first.catchUp()
        let second = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await second.register(Table())
        try await Self.adjust(1, by: 1, in: store)
        try await second.catchUp()
        try await Self.adjust(2, by: 5, in: store)
        try await first.catchUp()
        let attempts = store.recorded.withLock { Array($0.suffix(2)) }
        #expect(attempts.first?.first.map { if case .requireCheckpoint = $0 { true } else { false } } == true, "the first engine tried a save of changed rows")
        #expect(attempts.last?.first == .deleteProjection(slot: Table.name), "then, refused, saved whole")
        try await Self.expectReloadsAs(first, from: store)
        #expect(try await ProjectionReplayer(store: store, registry: TestDomain.registry).checkSaved([Table()], in: store).first?.agrees == true)
        await store.close()
    }

    @Test("a slot saved with another layout of tables (a secondary key added since) is saved whole again, filling the new key in")
    func layoutChanged() async throws {
        let store = InMemoryEventStore()
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 200, cases: 10), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(Table())
        try await engine.catchUp()
        // As a store saved before the secondary key existed: no entries, an older layout.
        let entries = try await store.loadRows(slot: Table.name, table: "cases@bucket", .all)
        try await store.writeReadModels([
            .saveRows(slot: Table.name, table: "cases@bucket", rows: [], deleting: entries.map(\.key)),
            .saveRows(slot: Table.name, table: "$layout", rows: [ReadModelRow(key: "tables", value: Array("1:cases()".utf8))], deleting: []),
        ])
        let later = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await later.register(Table())
        try await Self.adjust(1, by: 1, in: store)
        try await later.catchUp()
        let refilled = try await store.loadRows(slot: Table.name, table: "cases@bucket", .all)
        #expect(!entries.isEmpty && refilled.count == entries.count, "every row has its entry again: \(refilled.count) of \(entries.count)")
        await store.close()
    }

    @Test("keys a database would store differently are refused at the save; removing one that was never stored is harmless")
    func keysRefused() async throws {
        struct Keys: Projection {
            static let name = "keys"
            let key: String
            struct State: Codable, Sendable, Hashable, KeyedReadModel {
                var rows = ReadModelTable<Int>()
                static let tables: [ReadModelTableKey<State>] = [.table("rows", \.rows)]
            }
            func initialState() -> State { State() }
            func apply(_ envelope: EventEnvelope, to state: inout State) throws {
                state.rows["fine-\(envelope.position)"] = 1
                state.rows[key] = 1
                if envelope.position == 3 { state.rows.removeValue(forKey: key) }
            }
        }
        for (key, refused) in [("e\u{301}", true), ("a\u{0}b", true), ("\u{E9}", false)] {
            let store = InMemoryEventStore()
            try await TestDomain.bulkAppend(try TestDomain.workload(count: 3), to: store)
            // A page and a save per event: the key is saved before event 3 removes it.
            let engine = ProjectionEngine(store: store, registry: TestDomain.registry, options: ProjectionOptions(pageSize: 1, saveEvery: 1))
            try await engine.register(Keys(key: key))
            if refused {
                await #expect(throws: ProjectionError.self, "\(key.debugDescription)") { try await engine.catchUp() }
            } else {
                try await engine.catchUp()
                #expect(try await store.loadRows(slot: Keys.name, table: "rows", .all).map(\.key) == ["fine-1", "fine-2", "fine-3"])
            }
            await store.close()
        }
    }

    @Test("bad table names are refused when the projection is registered")
    func badTableNames() async throws {
        struct Bad: Projection {
            static let name = "bad"
            struct State: Codable, Sendable, Hashable, KeyedReadModel {
                var a = ReadModelTable<Int>()
                static let tables: [ReadModelTableKey<State>] = [.table("a@b", \.a)]
            }
            func initialState() -> State { State() }
            func apply(_ envelope: EventEnvelope, to state: inout State) throws {}
        }
        let engine = ProjectionEngine(store: InMemoryEventStore(), registry: TestDomain.registry)
        await #expect(throws: ProjectionError.self) { try await engine.register(Bad()) }
    }

    @Test("a key longer than every backend takes is refused at the save, which writes nothing")
    func longKeyRefused() async throws {
        struct Long: Projection {
            static let name = "long-keys"
            struct State: Codable, Sendable, Hashable, KeyedReadModel {
                var rows = ReadModelTable<Int>()
                static let tables: [ReadModelTableKey<State>] = [.table("rows", \.rows)]
            }
            func initialState() -> State { State() }
            func apply(_ envelope: EventEnvelope, to state: inout State) throws {
                state.rows[String(repeating: "x", count: 600)] = 1
            }
        }
        let store = InMemoryEventStore()
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 5), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(Long())
        let error = await #expect(throws: ProjectionError.self) { try await engine.catchUp() }
        #expect(error?.message.contains("cannot be stored") == true, "\(String(describing: error))")
        #expect(try await store.loadProjection(slot: Long.name) == nil, "nothing saved")
        await store.close()
    }

    @Test("a table reads like a dictionary, ranges go by UTF-8 bytes, and it encodes as the dictionary")
    func tableValue() throws {
        var table = ReadModelTable<Int>()
        table["b"] = 2
        table["ä"] = 4
        table["Z"] = 0
        table["a", default: 0] += 1
        table["a", default: 0] += 1
        #expect(table.count == 4 && table["a"] == 2)
        #expect(table.rows(in: .all).map(\.key) == ["Z", "a", "b", "ä"])
        #expect(table.rows(in: RowRange(from: "a", through: "b")).map(\.row) == [2, 2])
        #expect(table.rows(in: .key("ä")).map(\.row) == [4])
        #expect(table.removeValue(forKey: "Z") == 0 && table.removeValue(forKey: "Z") == nil)
        #expect(table.unsavedChanges == 3, "a table never saved has every row unsaved")
        var saved = table
        saved.markSaved(as: "t")
        #expect(saved == table && saved.unsavedChanges == 0, "changes are not part of the value")
        saved["b"] = 5
        saved["b"] = 6
        saved.removeValue(forKey: "a")
        #expect(saved.unsavedChanges == 2, "then each changed key counts once")

        let dictionary = ["a": 2, "b": 2, "ä": 4]
        #expect(try BinaryCodec().encode(table) == (try BinaryCodec().encode(dictionary)), "binary form = the dictionary's (digests keep their meaning)")
        #expect(try BinaryCodec().decode(ReadModelTable<Int>.self, from: try BinaryCodec().encode(dictionary)) == table)
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys
        #expect(try json.encode(table) == (try json.encode(dictionary)), "JSON form = the dictionary's")
    }
}
