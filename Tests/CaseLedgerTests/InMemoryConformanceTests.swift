import CaseLedger
import CaseLedgerTestKit
import Testing

@Suite("In-memory store conformance")
struct InMemoryConformanceTests {
    @Test(arguments: EventStoreConformance.cases)
    func conformance(_ check: ConformanceCase) async throws {
        try await check.run { options in InMemoryEventStore(options: options) }
    }
}

@Suite("In-memory read-model storage")
struct InMemoryReadModelTests {
    @Test(arguments: ReadModelStoreConformance.cases)
    func readModels(_ check: ReadModelStoreConformance.Case) async throws {
        try await check.run { InMemoryEventStore() }
    }
}
