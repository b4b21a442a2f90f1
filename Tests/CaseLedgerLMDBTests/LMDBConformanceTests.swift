import CaseLedger
import CaseLedgerLMDB
import CaseLedgerTestKit
import Testing

@Suite("LMDB store conformance")
struct LMDBConformanceTests {
    @Test(arguments: EventStoreConformance.cases)
    func conformance(_ check: ConformanceCase) async throws {
        try await check.run { options in
            try LMDBEventStore(configuration: LMDBConfiguration(path: temporaryDirectory(), options: options))
        }
    }

    @Test(arguments: EventStoreConformance.cases.filter { ["contiguous positions and round-trip", "idempotent append", "audit chain", "large batch"].contains($0.name) })
    func conformanceRelaxedWithTinyMap(_ check: ConformanceCase) async throws {
        // A 256 KiB map must grow under the appends without any caller seeing MDB_MAP_FULL.
        try await check.run { options in
            try LMDBEventStore(configuration: LMDBConfiguration(path: temporaryDirectory(), durability: .relaxed, initialMapSize: 256 << 10, options: options))
        }
    }
}

@Suite("LMDB read-model storage")
struct LMDBReadModelTests {
    @Test(arguments: ReadModelStoreConformance.cases)
    func readModels(_ check: ReadModelStoreConformance.Case) async throws {
        try await check.run { try LMDBEventStore(path: temporaryDirectory()) }
    }

    @Test("projection slots and snapshots survive reopening")
    func persisted() async throws {
        let path = temporaryDirectory()
        let store = try LMDBEventStore(path: path)
        try await store.writeReadModels([
            .saveProjection(slot: "board", StoredProjection(checkpoint: 3, state: [1])),
            .saveSnapshot(stream: "t-1", AggregateSnapshot(version: 2, schemaVersion: 1, state: [2])),
        ])
        await store.close()
        let again = try LMDBEventStore(path: path)
        #expect(try await again.loadProjection(slot: "board") == StoredProjection(checkpoint: 3, state: [1]))
        #expect(try await again.loadSnapshot(stream: "t-1") == AggregateSnapshot(version: 2, schemaVersion: 1, state: [2]))
        await again.close()
    }
}

@Suite("LMDB projections")
struct LMDBProjectionTests {
    @Test(arguments: ProjectionConformance.cases)
    func projections(_ check: ProjectionConformance.Case) async throws {
        try await check.run { inline in
            try LMDBEventStore(configuration: LMDBConfiguration(path: temporaryDirectory(), inlineProjections: inline))
        }
    }
}
