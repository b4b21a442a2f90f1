import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Foundation
import Logging
import PostgresNIO
import Testing

/// The columns and tables readers rely on, changed behind the store's back:
/// `verify` names what disagrees, as it does for LMDB's index databases.
@Suite("PostgreSQL: verification covers the columns and tables readers use")
struct PostgresIndexVerificationTests {
    /// Runs SQL on the test server as its owner.
    static func execute(_ sql: String) async throws {
        try await PostgresServer.withConnection { connection, logger in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    enum Tamper: String, CaseIterable, CustomTestStringConvertible {
        case streamColumns, headLowered, headDeleted, eventIDColumn, categoryColumn, headRow

        var testDescription: String { rawValue }

        /// The SQL (`S` is the schema), the index named and what the failure says.
        var damage: (sql: String, index: StorageIndex?, says: String) {
            switch self {
            case .streamColumns:
                return ("UPDATE S.events SET version = 99 WHERE position = 52", .streams, "case-1 version 99 → position 52 disagrees with the record there (case-1 version 2)")
            case .headLowered:
                return ("UPDATE S.streams SET version = 2 WHERE stream = 'case-1'", .heads, "case-1 → last version 2 disagrees with the log")
            case .headDeleted:
                return ("DELETE FROM S.streams WHERE stream = 'case-1'", .heads, "case-1 has events in the log (from position 2) but no entry")
            case .eventIDColumn:
                return ("UPDATE S.events SET event_id = '00000000-0000-4000-8000-000000000052' WHERE position = 52", .eventIDs,
                        "event 00000000-0000-4000-8000-000000000052 → position 52 disagrees")
            case .categoryColumn:
                return ("UPDATE S.events SET category = 'noise' WHERE position = 52", .categories, "noise at position 52 disagrees with the record there (category case)")
            case .headRow:
                return ("UPDATE S.head SET hash = decode(repeat('ab', 32), 'hex')", nil, "the stored head (position 500")
            }
        }
    }

    @Test("a changed column or table fails verify, naming what disagrees", arguments: Tamper.allCases)
    func damaged(_ tamper: Tamper) async throws {
        let schema = "v_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let store = try await PostgresEventStore.connect(try PostgresServer.configuration(try PostgresServer.schemaURL(String(schema))))
        try await TestDomain.append(try TestDomain.workload(count: 500), to: store)
        #expect(try await LogVerifier(store: store).verify().isValid)

        let damage = tamper.damage
        try await Self.execute(damage.sql.replacingOccurrences(of: "S.", with: "\(schema)."))
        let report = try await LogVerifier(store: store).verify()
        await store.close()
        try await Self.execute("DROP SCHEMA \(schema) CASCADE")

        let failure = try #require(report.failure, "\(tamper) went unnoticed")
        #expect(failure.index == damage.index)
        #expect(failure.reason.contains(damage.says), "\(failure)")
    }
}
