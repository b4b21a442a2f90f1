import CaseLedger
import Foundation

/// Where a ``PostgresEventStore`` connects and which schema it uses.
///
/// ```swift
/// let configuration = try PostgresStoreConfiguration(url: "postgres://caseledger@127.0.0.1:5432/city?schema=ledger")
/// let store = try await PostgresEventStore.connect(configuration)
/// ```
public struct PostgresStoreConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// The schema holding CaseLedger's tables; created and migrated by the store.
    public var schema: String
    /// Connections in the pool.
    public var maximumConnections: Int
    /// Limits, logger, metrics and clock.
    public var options: EventStoreOptions
    /// Projections updated in every append's transaction.
    public var inlineProjections: InlineProjections?
    /// Reads only: the schema is neither created nor migrated, and a write is
    /// ``EventStoreError/Code/readOnly``. `false` by default.
    public var readOnly = false
    /// Whether connecting creates (or migrates) the schema; when `false`, a
    /// schema that does not exist yet is an error. `true` by default.
    public var createsSchema = true
    /// How long connecting may take before it fails with the server's
    /// address and the reason. 5 seconds by default.
    public var connectTimeout: Duration = .seconds(5)

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 5432, username: String, password: String? = nil, database: String,
                schema: String = "caseledger", maximumConnections: Int = 8, options: EventStoreOptions = EventStoreOptions(),
                inlineProjections: InlineProjections? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.schema = schema
        self.maximumConnections = maximumConnections
        self.options = options
        self.inlineProjections = inlineProjections
    }

    /// Parses `postgres://user[:password]@host[:port]/database[?schema=name]`.
    ///
    /// - Throws: ``EventStoreError`` (invalid argument) for anything else.
    public init(url: String, options: EventStoreOptions = EventStoreOptions()) throws(EventStoreError) {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty else {
            throw EventStoreError.invalidArgument("'\(url)' is not a postgres://user@host:port/database URL")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else { throw EventStoreError.invalidArgument("the URL '\(url)' names no database") }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value ?? "caseledger"
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw EventStoreError.invalidArgument("schema '\(schema)' must be lower-case letters, digits and underscores")
        }
        self.init(host: host, port: components.port ?? 5432, username: user, password: components.password, database: database,
                  schema: schema, options: options)
    }
}
