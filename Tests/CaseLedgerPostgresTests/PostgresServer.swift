import CaseLedger
import CaseLedgerPostgres
import Foundation
import Logging
import PostgresNIO
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

    /// A store configuration for `url`, with a connect timeout for a busy
    /// machine: under ThreadSanitizer, with many suites connecting at once,
    /// the default 5 s was not enough.
    static func configuration(_ url: String, options: EventStoreOptions = EventStoreOptions()) throws -> PostgresStoreConfiguration {
        var configuration = try PostgresStoreConfiguration(url: url, options: options)
        configuration.connectTimeout = .seconds(30)
        return configuration
    }

    /// A fresh, empty store in its own schema.
    static func store(options: EventStoreOptions = EventStoreOptions(), inline: InlineProjections? = nil) async throws -> PostgresEventStore {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        var configuration = try Self.configuration(try url() + "?schema=\(schema)", options: options)
        configuration.maximumConnections = 3
        configuration.inlineProjections = inline
        return try await PostgresEventStore.connect(configuration)
    }

    static func schemaURL(_ schema: String) throws -> String { try url() + "?schema=\(schema)" }

    /// Runs `body` on a connection of its own to the test server, as its
    /// owner (plain SQL, as `psql` would), and closes it.
    static func withConnection<T>(_ body: (PostgresConnection, Logger) async throws -> T) async throws -> T {
        let url = try #require(URLComponents(string: try url()))
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
            database: String(url.path.dropFirst()), tls: .disable)
        let logger = Logger(label: "caseledger-tests")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let out = try await body(connection, logger)
            try await connection.close()
            return out
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
