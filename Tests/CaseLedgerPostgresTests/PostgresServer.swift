import CaseLedger
import CaseLedgerPostgres
import Foundation
import Testing

/// The throwaway server `make test` starts (scripts/with-postgres.sh).
enum PostgresServer {
    /// The server's URL. A missing server is a failure, never a skip.
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CASELEDGER_POSTGRES_URL"], !url.isEmpty else {
            throw ServerMissing()
        }
        return url
    }

    struct ServerMissing: Error, CustomStringConvertible {
        var description: String { "CASELEDGER_POSTGRES_URL is not set: run the tests with `make test`, which starts a PostgreSQL server" }
    }

    /// A fresh, empty store in its own schema.
    static func store(options: EventStoreOptions = EventStoreOptions(), inline: InlineProjections? = nil) async throws -> PostgresEventStore {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        var configuration = try PostgresStoreConfiguration(url: try url() + "?schema=\(schema)", options: options)
        configuration.maximumConnections = 3
        configuration.inlineProjections = inline
        return try await PostgresEventStore.connect(configuration)
    }

    static func schemaURL(_ schema: String) throws -> String { try url() + "?schema=\(schema)" }
}
