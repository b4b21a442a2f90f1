import CaseLedger
import Foundation

/// The checks for the read-model rung: projection slots, their rows and snapshots.
public enum ReadModelStoreConformance {
    /// Makes a fresh, empty store with read-model storage.
    public typealias StoreFactory = @Sendable () async throws -> any ReadModelStore

    /// One named check.
    public typealias Case = ConformanceCheck<StoreFactory>

    /// Every check.
    public static let cases: [Case] = [
        Case(name: "projection slots round-trip", body: slots),
        Case(name: "snapshots round-trip", body: snapshots),
        Case(name: "read-model rows by key and range", body: rows),
        Case(name: "a required checkpoint not held fails the whole write", body: requiredCheckpoint),
    ]

    static func slots(_ make: StoreFactory) async throws {
        let store = try await make()
        try Expect.that(try await store.loadProjection(slot: "board") == nil, "an empty slot")
        let a = StoredProjection(checkpoint: 42, state: [1, 2, 3])
        let b = StoredProjection(checkpoint: 7, state: [])
        try await store.writeReadModels([.saveProjection(slot: "board", a), .saveProjection(slot: "board@rebuild", b)])
        try Expect.equal(try await store.loadProjection(slot: "board"), a, "slot board")
        try Expect.equal(try await store.loadProjection(slot: "board@rebuild"), b, "slot board@rebuild")
        try Expect.equal(try await store.projectionSlots(), ["board", "board@rebuild"], "slot names")
        // Promotion: one write replaces the live slot and removes the rebuild slot.
        try await store.writeReadModels([.saveProjection(slot: "board", b), .deleteProjection(slot: "board@rebuild")])
        try Expect.equal(try await store.loadProjection(slot: "board"), b, "promoted")
        try Expect.that(try await store.loadProjection(slot: "board@rebuild") == nil, "rebuild slot removed")
        try await store.writeReadModels([.deleteProjection(slot: "never-there")])
        try Expect.equal(try await store.headPosition(), 0, "read models are not events")
        let big = StoredProjection(checkpoint: 1, state: (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0) })
        try await store.writeReadModels([.saveProjection(slot: "big", big)])
        try Expect.equal(try await store.loadProjection(slot: "big"), big, "a 3 MB state")
        await store.close()
    }

    static func snapshots(_ make: StoreFactory) async throws {
        let store = try await make()
        try Expect.that(try await store.loadSnapshot(stream: "ticket-1") == nil, "no snapshot")
        let s1 = AggregateSnapshot(version: 10, schemaVersion: 3, state: [9, 9])
        try await store.writeReadModels([.saveSnapshot(stream: "ticket-1", s1)])
        try Expect.equal(try await store.loadSnapshot(stream: "ticket-1"), s1, "snapshot")
        let s2 = AggregateSnapshot(version: 20, schemaVersion: 300, state: [])
        try await store.writeReadModels([.saveSnapshot(stream: "ticket-1", s2)])
        try Expect.equal(try await store.loadSnapshot(stream: "ticket-1"), s2, "snapshot replaced")
        await store.close()
    }
}

extension ReadModelStoreConformance {
    /// Rows by slot, table and key: key order by UTF-8 bytes, ranges,
    /// limits, replacing, deleting, and removal with their slot.
    static func rows(_ make: StoreFactory) async throws {
        let store = try await make()
        func row(_ key: String, _ value: UInt8) -> ReadModelRow { ReadModelRow(key: key, value: [value]) }
        func keys(_ slot: String, _ table: String, _ range: RowRange = .all) async throws -> [String] {
            try await store.loadRows(slot: slot, table: table, range).map(\.key)
        }
        try await store.writeReadModels([
            .saveProjection(slot: "board", StoredProjection(checkpoint: 5, state: [1])),
            .saveRows(slot: "board", table: "tickets", rows: [row("b", 2), row("a", 1), row("ä", 4), row("Z", 0), row("a/1", 3)], deleting: []),
            .saveRows(slot: "board", table: "ticketsX", rows: [row("a", 9)], deleting: []),
            .saveRows(slot: "boardX", table: "tickets", rows: [row("a", 8)], deleting: []),
        ])
        try Expect.equal(try await store.loadRows(slot: "board", table: "tickets", .all),
                         [row("Z", 0), row("a", 1), row("a/1", 3), row("b", 2), row("ä", 4)], "every row, in UTF-8 key order")
        try Expect.equal(try await keys("board", "tickets", RowRange(from: "a", through: "b")), ["a", "a/1", "b"], "a range, both ends included")
        try Expect.equal(try await keys("board", "tickets", RowRange(from: "a", limit: 2)), ["a", "a/1"], "a limit")
        try Expect.equal(try await keys("board", "tickets", RowRange(through: "a")), ["Z", "a"], "a range from the start")
        try Expect.equal(try await store.loadRows(slot: "board", table: "tickets", .key("a/1")), [row("a/1", 3)], "one key")
        try Expect.equal(try await keys("board", "tickets", .key("missing")), [], "a missing key")
        try Expect.equal(try await keys("board", "nothing"), [], "an empty table")
        let stored = try await store.loadProjection(slot: "board", tables: ["tickets", "nothing"])
        try Expect.equal(stored?.rows["tickets"]?.map(\.key), ["Z", "a", "a/1", "b", "ä"], "a slot read with its rows")
        try Expect.equal(stored?.rows["nothing"], [], "a table without rows")
        try Expect.equal(stored?.checkpoint, 5, "and its checkpoint")
        try Expect.equal(try await store.loadProjection(slot: "board")?.rows, [:], "a slot read without rows")

        try await store.writeReadModels([.saveRows(slot: "board", table: "tickets", rows: [row("a", 7)], deleting: ["b", "never-there"])])
        try Expect.equal(try await store.loadRows(slot: "board", table: "tickets", .all),
                         [row("Z", 0), row("a", 7), row("a/1", 3), row("ä", 4)], "a row replaced, one removed")
        try Expect.equal(try await store.loadRows(slot: "board", table: "ticketsX", .all), [row("a", 9)], "another table untouched")
        try Expect.equal(try await store.loadRows(slot: "boardX", table: "tickets", .all), [row("a", 8)], "another slot untouched")

        // The longest key every backend takes, and many rows in one write.
        let long = String(repeating: "k", count: ReadModelRow.maximumKeyBytes - "boardX".utf8.count - "tickets".utf8.count - 2)
        let many = (0..<5_000).map { ReadModelRow(key: String(format: "r%05d", $0), value: Array(repeating: UInt8($0 % 251), count: 40)) }
        try await store.writeReadModels([.saveRows(slot: "boardX", table: "tickets", rows: [row(long, 5)], deleting: []),
                                         .saveRows(slot: "boardX", table: "many", rows: many, deleting: [])])
        try Expect.equal(try await store.loadRows(slot: "boardX", table: "tickets", .key(long)), [row(long, 5)], "a key of the longest length")
        try Expect.equal(try await store.loadRows(slot: "boardX", table: "many", .all), many, "5,000 rows")
        try Expect.equal(try await store.loadRows(slot: "boardX", table: "many", RowRange(from: "r02500", through: "r02502")), Array(many[2_500...2_502]), "a range among many")

        // A slot's removal removes its rows, and only its rows.
        try await store.writeReadModels([.deleteProjection(slot: "board")])
        try Expect.equal(try await keys("board", "tickets"), [], "rows removed with their slot")
        try Expect.equal(try await keys("board", "ticketsX"), [], "every table of the slot")
        try Expect.equal(try await keys("boardX", "tickets").count, 2, "another slot's rows kept")
        try Expect.equal(try await store.headPosition(), 0, "rows are not events")
        await store.close()
    }

    /// ``ReadModelWrite/requireCheckpoint(slot:_:)``: met, the writes go
    /// through; not met (another writer saved the slot, or it is gone), the
    /// whole list fails with ``EventStoreError/Code/readModelConflict`` and
    /// nothing of it is written, not even the writes before the check.
    static func requiredCheckpoint(_ make: StoreFactory) async throws {
        let store = try await make()
        let row = ReadModelRow(key: "a", value: [1])
        try await store.writeReadModels([.requireCheckpoint(slot: "board", nil),
                                         .saveProjection(slot: "board", StoredProjection(checkpoint: 5, state: [5])),
                                         .saveRows(slot: "board", table: "tickets", rows: [row], deleting: [])])
        try await store.writeReadModels([.requireCheckpoint(slot: "board", 5),
                                         .saveProjection(slot: "board", StoredProjection(checkpoint: 9, state: [9]))])
        try Expect.equal(try await store.loadProjection(slot: "board")?.checkpoint, 9, "a met requirement")
        for required: UInt64? in [5, nil, 10] {
            let error = try await Expect.error(.readModelConflict, "requiring \(String(describing: required))") {
                try await store.writeReadModels([.saveRows(slot: "other", table: "t", rows: [row], deleting: []),
                                                 .requireCheckpoint(slot: "board", required),
                                                 .saveProjection(slot: "board", StoredProjection(checkpoint: 11, state: [11])),
                                                 .saveRows(slot: "board", table: "tickets", rows: [], deleting: ["a"])])
            }
            try Expect.that(error.message.contains("checkpoint 9"), "the error names the checkpoint held: \(error.message)")
        }
        try Expect.equal(try await store.loadProjection(slot: "board"), StoredProjection(checkpoint: 9, state: [9]), "the slot untouched")
        try Expect.equal(try await store.loadRows(slot: "board", table: "tickets", .all), [row], "its rows untouched")
        try Expect.equal(try await store.loadRows(slot: "other", table: "t", .all), [], "nor a write before the check")
        await store.close()
    }
}
