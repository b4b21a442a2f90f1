import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Foundation
import Logging
import PostgresNIO
import Testing

/// Read-model rows on PostgreSQL are a real table: plain SQL (what `psql`
/// runs) finds a read model's rows by key, in key order, as the engine saved them.
@Suite("PostgreSQL: read-model rows are a table SQL can query")
struct PostgresRowsTests {
    /// The keys SQL returns on the test server.
    static func keys(_ sql: String) async throws -> [String] {
        try await PostgresServer.withConnection { connection, logger in
            var out: [String] = []
            for try await key in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) { out.append(key) }
            return out
        }
    }

    @Test("the engine's saved rows are rows of read_model_rows, by slot, table and key")
    func rowsBySQL() async throws {
        let schema = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let store = try await PostgresEventStore.connect(try PostgresServer.configuration(try PostgresServer.schemaURL(String(schema))))
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 300, cases: 12), to: store)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(TestDomain.CaseTable())
        try await engine.catchUp()
        let live = try await engine.state(of: TestDomain.CaseTable.self)
        let all = try await Self.keys("SELECT key FROM \(schema).read_model_rows WHERE slot = 'test-case-table' AND tbl = 'cases' ORDER BY key")
        #expect(all == live.cases.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let some = try await Self.keys("SELECT key FROM \(schema).read_model_rows WHERE slot = 'test-case-table' AND tbl = 'cases' AND key BETWEEN 'case-10' AND 'case-2' ORDER BY key")
        #expect(some == ["case-10", "case-11", "case-2"])
        await store.close()
        _ = try await Self.keys("DROP SCHEMA \(schema) CASCADE")
    }
}
