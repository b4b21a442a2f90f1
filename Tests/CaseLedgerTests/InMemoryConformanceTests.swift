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

@Suite("In-memory projections")
struct InMemoryProjectionTests {
    @Test(arguments: ProjectionConformance.cases)
    func projections(_ check: ProjectionConformance.Case) async throws {
        try await check.run { inline in InMemoryEventStore(inlineProjections: inline) }
    }
}

@Suite("In-memory key storage")
struct InMemoryKeyStorageTests {
    @Test(arguments: PersonalKeyStorageConformance.cases)
    func keys(_ check: PersonalKeyStorageConformance.Case) async throws {
        try await check.run { InMemoryKeyStorage() }
    }
}
