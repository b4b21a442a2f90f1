import CaseLedger
import Foundation

/// The checks for the read-model rung: projection slots and snapshots.
public enum ReadModelStoreConformance {
    /// Makes a fresh, empty store with read-model storage.
    public typealias StoreFactory = @Sendable () async throws -> any ReadModelStore

    /// One named check.
    public typealias Case = ConformanceCheck<StoreFactory>

    /// Every check.
    public static let cases: [Case] = [
        Case(name: "projection slots round-trip", body: slots),
        Case(name: "snapshots round-trip", body: snapshots),
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
