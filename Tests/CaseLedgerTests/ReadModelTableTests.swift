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
            if case .saveRows(_, let table, let rows, let deleted) = $0 { return (table, rows.map(\.key), deleted) }
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
        #expect(second.count == 3, "the state, one row and its secondary key entry: \(second.count) writes")
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
        #expect(error?.message.contains("longer than") == true)
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
        saved.markSaved()
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
        #expect(try BinaryCodec().encode(table, omittingTables: true) == [0], "a saved state leaves the rows out")
    }
}
