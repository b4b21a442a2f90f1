import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Testing

@Suite("PostgreSQL store conformance")
struct PostgresConformanceTests {
    @Test("a server is running for these tests")
    func serverIsThere() throws {
        _ = try PostgresServer.url()
    }

    @Test(arguments: EventStoreConformance.cases)
    func conformance(_ check: ConformanceCase) async throws {
        try await check.run { options in try await PostgresServer.store(options: options) }
    }

    @Test(arguments: ReadModelStoreConformance.cases)
    func readModels(_ check: ReadModelStoreConformance.Case) async throws {
        try await check.run { try await PostgresServer.store() }
    }

    @Test(arguments: ProjectionConformance.cases)
    func projections(_ check: ProjectionConformance.Case) async throws {
        try await check.run { inline in try await PostgresServer.store(inline: inline) }
    }

    @Test("URLs are parsed into a typed configuration; bad ones are refused")
    func urls() throws {
        let c = try PostgresStoreConfiguration(url: "postgres://ledger:secret@db.local:6543/city?schema=audit_2025")
        #expect(c.host == "db.local")
        #expect(c.port == 6543)
        #expect(c.username == "ledger")
        #expect(c.password == "secret")
        #expect(c.database == "city")
        #expect(c.schema == "audit_2025")
        for bad in ["http://x/y", "postgres://host/db", "postgres://u@host/", "postgres://u@h/db?schema=Bad-Name"] {
            #expect(throws: EventStoreError.self) { try PostgresStoreConfiguration(url: bad) }
        }
    }
}
