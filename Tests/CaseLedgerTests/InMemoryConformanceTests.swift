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
