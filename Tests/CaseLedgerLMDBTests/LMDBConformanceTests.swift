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
