import CaseLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The storage on a PostgreSQL server, for services that outgrow one machine.
///
/// ## No event skipped, in any process
/// Every write transaction first locks the single row of `head` (`SELECT …
/// FOR UPDATE`), takes its positions from it, and updates it before
/// committing. Transactions therefore commit one after another, in position
/// order, across every process: position n + 1 cannot commit before n, and a
/// rolled back append leaves no gap (the next one reuses its positions). A
/// reader that sees position p sees everything below p, so read-all and
/// subscribers never skip an event that commits late. The cost is one writer
/// at a time on the server — the same single-writer model as LMDB; each
/// process batches its concurrent appends into one transaction (group
/// commit). Other processes' commits are announced by `LISTEN`/`NOTIFY`
/// (sent inside the transaction, so only on commit), with a re-read of the
/// head once a second as a safety net.
///
/// ```swift
/// let store = try await PostgresEventStore.connect(try PostgresStoreConfiguration(url: "postgres://ledger@127.0.0.1/city"))
/// _ = try await store.append([EventData(type: "TicketFiled", payload: [])], to: try StreamName("ticket-1"))
/// await store.close()
/// ```
public final class PostgresStorage: EventStorage {
    let client: PostgresClient
    let configuration: PostgresStoreConfiguration
    let logger: Logger
    /// The schema name, checked by the configuration (safe to splice into SQL).
    let schema: String
    private let runner: Task<Void, Never>
    private let listener = Locked<Task<Void, Never>?>(nil)
    private let closed = Locked(false)
    /// Rows fetched per query while scanning.
    static let pageSize = 2_048

    private init(configuration: PostgresStoreConfiguration, client: PostgresClient, runner: Task<Void, Never>) {
        self.configuration = configuration
        self.client = client
        self.runner = runner
        self.logger = configuration.options.logger
        self.schema = configuration.schema
    }

    /// Connects, then creates or migrates the schema (or, read-only or
    /// without ``PostgresStoreConfiguration/createsSchema``, checks that it
    /// is there).
    ///
    /// A first connection is made on its own, within
    /// ``PostgresStoreConfiguration/connectTimeout``, so an unreachable
    /// server or a refused login is one clear error with the server's
    /// address and the reason, at once.
    ///
    /// - Throws: ``EventStoreError`` (storage) when the server cannot be
    ///   reached; (invalidArgument) when the schema is missing and may not be made.
    public static func connect(_ configuration: PostgresStoreConfiguration) async throws(EventStoreError) -> PostgresStorage {
        try await probe(configuration)
        var config = PostgresClient.Configuration(host: configuration.host, port: configuration.port, username: configuration.username,
                                                  password: configuration.password, database: configuration.database, tls: .disable)
        config.options.maximumConnections = max(2, configuration.maximumConnections)
        config.options.connectTimeout = configuration.connectTimeout
        let client = PostgresClient(configuration: config, backgroundLogger: configuration.options.logger)
        let runner = Task { await client.run() }
        let storage = PostgresStorage(configuration: configuration, client: client, runner: runner)
        do {
            if configuration.readOnly || !configuration.createsSchema {
                try await storage.checkSchema()
            } else {
                try await storage.migrate()
            }
        } catch {
            runner.cancel()
            throw error
        }
        return storage
    }

    /// One connection, made and closed within the connect timeout.
    /// How to open a connection of its own to the store's server, outside
    /// the pool (the first probe; a leadership lock).
    var connectionConfiguration: PostgresConnection.Configuration { Self.connectionConfiguration(configuration) }

    static func connectionConfiguration(_ configuration: PostgresStoreConfiguration) -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
    }

    static func probe(_ configuration: PostgresStoreConfiguration) async throws(EventStoreError) {
        let address = "\(configuration.host):\(configuration.port)"
        let connectionConfiguration = Self.connectionConfiguration(configuration)
        let logger = configuration.options.logger
        let timeout = configuration.connectTimeout
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do {
                    let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
                    try await connection.close()
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(EventStoreError.storage("no answer within \(timeout)"))
        }
        if case .failure(let error) = outcome {
            let reason: String
            if let e = error as? PSQLError {
                reason = e.serverInfo?[.message] ?? String(describing: e.code)
            } else if let e = error as? EventStoreError {
                reason = e.message
            } else {
                reason = String(describing: error)
            }
            throw EventStoreError.storage("cannot connect to PostgreSQL at \(address) as \(configuration.username): \(reason)")
        }
    }

    /// Checks that the schema was made (by a store opened to create it).
    func checkSchema() async throws(EventStoreError) {
        let s = schema
        let found: Bool = try await query {
            for try await (count) in try await client.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = \(s) AND table_name = 'events'", logger: logger).decode(Int64.self) {
                return count > 0
            }
            return false
        }
        guard found else {
            throw EventStoreError.invalidArgument("no store in schema \(s) of database \(configuration.database) at \(configuration.host):\(configuration.port)")
        }
    }

    public var name: String { "postgres" }

    static func storageError(_ error: any Error) -> EventStoreError {
        if let e = error as? EventStoreError { return e }
        if let e = error as? PSQLError, let state = e.serverInfo?[.sqlState] {
            let message = e.serverInfo?[.message] ?? "\(e.code)"
            let engine = StorageEngineCode.postgres(sqlState: state)
            if state == "53100" { return EventStoreError(code: .noSpace, message: "PostgreSQL: \(message)", engineCode: engine) }
            if state == "25006" { return EventStoreError(code: .readOnly, message: "PostgreSQL: \(message)", engineCode: engine) }
            return EventStoreError.storage("PostgreSQL: \(message) (SQLSTATE \(state))", engineCode: engine)
        }
        return EventStoreError.storage("PostgreSQL: \(String(reflecting: error))")
    }

    func checkOpen() throws(EventStoreError) {
        if closed.withLock({ $0 }) { throw EventStoreError.storeClosed }
    }

    /// Runs a query on the pool, turning failures into store errors.
    nonisolated(nonsending) func query<T>(_ body: () async throws -> T) async throws(EventStoreError) -> T {
        try checkOpen()
        do {
            return try await body()
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs the versioned migrations once, under an advisory lock.
    func migrate() async throws(EventStoreError) {
        let s = schema
        let logger = self.logger
        try await query {
            try await client.withTransaction(logger: logger) { conn in
                try await conn.query("SELECT pg_advisory_xact_lock(hashtext(\(s)))", logger: logger)
                try await conn.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: s)", logger: logger)
                try await conn.query("CREATE TABLE IF NOT EXISTS \(unescaped: s).schema_migrations (version int PRIMARY KEY)", logger: logger)
                var applied = Set<Int>()
                for try await (v) in try await conn.query("SELECT version FROM \(unescaped: s).schema_migrations", logger: logger).decode(Int.self) {
                    applied.insert(v)
                }
                for (i, sql) in PostgresMigrations.all(s).enumerated() where !applied.contains(i + 1) {
                    for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                        try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await conn.query("INSERT INTO \(unescaped: s).schema_migrations VALUES (\(i + 1))", logger: logger)
                }
            }
        }
    }

    // MARK: Reads

    public func head() async throws(EventStoreError) -> LogHead {
        let s = schema
        return try await query {
            for try await (position, hash) in try await client.query("SELECT position, hash FROM \(unescaped: s).head WHERE id = 1", logger: logger).decode((Int64, ByteBuffer).self) {
                return try Self.head(position: position, hash: hash)
            }
            return .empty
        }
    }

    static func head(position: Int64, hash: ByteBuffer) throws(EventStoreError) -> LogHead {
        guard position > 0 else { return .empty }
        guard let hash = AuditHash(bytes: Array(hash.readableBytesView)) else {
            throw EventStoreError.corrupted("the head row's hash is not 32 bytes", position: UInt64(position))
        }
        return LogHead(position: UInt64(position), hash: hash)
    }

    public func streamVersion(_ stream: String) async throws(EventStoreError) -> UInt64 {
        let s = schema
        return try await query {
            for try await (v) in try await client.query("SELECT version FROM \(unescaped: s).streams WHERE stream = \(stream)", logger: logger).decode(Int64.self) {
                return UInt64(v)
            }
            return 0
        }
    }

    public nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, category: String?,
                                                _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Bool) async throws {
        let s = schema
        var next = Int64(clamping: max(1, position))
        let end = Int64(clamping: last)
        while next <= end {
            let rows: [(Int64, ByteBuffer)] = try await query {
                let q: PostgresQuery = category.map {
                    "SELECT position, record FROM \(unescaped: s).events WHERE category = \($0) AND position >= \(next) AND position <= \(end) ORDER BY position LIMIT \(Self.pageSize)"
                } ?? "SELECT position, record FROM \(unescaped: s).events WHERE position >= \(next) AND position <= \(end) ORDER BY position LIMIT \(Self.pageSize)"
                var rows: [(Int64, ByteBuffer)] = []
                for try await row in try await client.query(q, logger: logger).decode((Int64, ByteBuffer).self) { rows.append(row) }
                return rows
            }
            for (p, record) in rows {
                guard try record.withUnsafeReadableBytes({ try visit(UInt64(p), $0) }) else { return }
            }
            guard rows.count == Self.pageSize, let last = rows.last else { return }
            next = last.0 + 1
        }
    }

    public nonisolated(nonsending) func scanStream(_ stream: String, from version: UInt64, direction: ReadDirection,
                                                   _ visit: (UInt64, UInt64, UnsafeRawBufferPointer) throws -> Bool) async throws {
        let s = schema
        var next = Int64(clamping: version)
        while next >= 1 {
            let rows: [(Int64, Int64, ByteBuffer)] = try await query {
                let q: PostgresQuery = direction == .forward
                    ? "SELECT version, position, record FROM \(unescaped: s).events WHERE stream = \(stream) AND version >= \(next) ORDER BY version LIMIT \(Self.pageSize)"
                    : "SELECT version, position, record FROM \(unescaped: s).events WHERE stream = \(stream) AND version <= \(next) ORDER BY version DESC LIMIT \(Self.pageSize)"
                var rows: [(Int64, Int64, ByteBuffer)] = []
                for try await row in try await client.query(q, logger: logger).decode((Int64, Int64, ByteBuffer).self) { rows.append(row) }
                return rows
            }
            for (v, p, record) in rows {
                guard try record.withUnsafeReadableBytes({ try visit(UInt64(v), UInt64(p), $0) }) else { return }
            }
            guard rows.count == Self.pageSize, let last = rows.last else { return }
            next = direction == .forward ? last.0 + 1 : last.0 - 1
        }
    }

    /// The index entries are what readers use beside the record: the
    /// `stream`, `version`, `event_id` and `category` columns of each event's
    /// row (handed over with the row's own record) and the `streams` table.
    /// One streamed query each.
    public nonisolated(nonsending) func scanIndex(_ index: StorageIndex, _ visit: (IndexEntry, UnsafeRawBufferPointer?) throws -> Bool) async throws {
        let s = schema
        var failure: (any Error)?
        func pass(_ entry: IndexEntry, _ record: ByteBuffer?) -> Bool {
            do {
                guard let record else { return try visit(entry, nil) }
                return try record.withUnsafeReadableBytes { try visit(entry, $0) }
            } catch {
                failure = error
                return false
            }
        }
        func number(_ n: Int64, _ what: String) throws(EventStoreError) -> UInt64 {
            guard n >= 0 else { throw EventStoreError.corrupted("the \(index) index holds a negative \(what): \(n)") }
            return UInt64(n)
        }
        try await query {
            switch index {
            case .streams:
                let q: PostgresQuery = "SELECT stream, version, position, record FROM \(unescaped: s).events"
                for try await (stream, version, position, record) in try await client.query(q, logger: logger).decode((String, Int64, Int64, ByteBuffer).self) {
                    guard pass(.stream(stream, version: try number(version, "version"), position: try number(position, "position")), record) else { break }
                }
            case .heads:
                let q: PostgresQuery = "SELECT stream, version FROM \(unescaped: s).streams"
                for try await (stream, version) in try await client.query(q, logger: logger).decode((String, Int64).self) {
                    guard pass(.head(stream, version: try number(version, "version")), nil) else { break }
                }
            case .eventIDs:
                let q: PostgresQuery = "SELECT event_id, position, record FROM \(unescaped: s).events"
                for try await (id, position, record) in try await client.query(q, logger: logger).decode((UUID, Int64, ByteBuffer).self) {
                    guard pass(.eventID(id, position: try number(position, "position")), record) else { break }
                }
            case .categories:
                let q: PostgresQuery = "SELECT category, position, record FROM \(unescaped: s).events"
                for try await (category, position, record) in try await client.query(q, logger: logger).decode((String, Int64, ByteBuffer).self) {
                    guard pass(.category(category, position: try number(position, "position")), record) else { break }
                }
            }
        }
        if let failure { throw failure }
    }

    public func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
        let s = schema
        let logger = self.logger
        guard !tables.isEmpty else {
            return try await query {
                try await client.withConnection { try await Self.projection(slot, tables: [], on: $0, schema: s, logger: logger) }
            }
        }
        return try await inSnapshot { try await Self.projection(slot, tables: tables, on: $0, schema: s, logger: logger) }
    }

    public func rows(_ slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow] {
        let s = schema
        let logger = self.logger
        return try await query {
            try await client.withConnection { try await Self.rows(slot, table: table, range, on: $0, schema: s, logger: logger) }
        }
    }

    public func snapshot(_ stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        let s = schema
        return try await query {
            for try await (version, schemaVersion, state) in try await client.query("SELECT version, schema_version, state FROM \(unescaped: s).snapshots WHERE stream = \(stream)", logger: logger).decode((Int64, Int32, ByteBuffer).self) {
                return AggregateSnapshot(version: UInt64(version), schemaVersion: UInt16(clamping: schemaVersion), state: Array(state.readableBytesView))
            }
            return nil
        }
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        let s = schema
        return try await query {
            var out: [String] = []
            for try await (slot) in try await client.query("SELECT slot FROM \(unescaped: s).projections ORDER BY slot COLLATE \"C\"", logger: logger).decode(String.self) {
                out.append(slot)
            }
            return out
        }
    }

    public func statistics() async throws(EventStoreError) -> StoreStatistics {
        let s = schema
        let head = try await head()
        return try await query {
            var stats = StoreStatistics(events: 0, streams: 0, categories: 0, bytesOnDisk: 0,
                                        headPosition: head.position, headHash: head.position == 0 ? "" : head.hash.hex)
            for try await (events, streams, categories, bytes) in try await client.query("""
                SELECT (SELECT count(*) FROM \(unescaped: s).events), (SELECT count(*) FROM \(unescaped: s).streams),
                       (SELECT count(DISTINCT category) FROM \(unescaped: s).events),
                       (SELECT pg_total_relation_size('\(unescaped: s).events') + pg_total_relation_size('\(unescaped: s).streams'))
                """, logger: logger).decode((Int64, Int64, Int64, Int64).self) {
                stats.events = UInt64(events)
                stats.streams = UInt64(streams)
                stats.categories = UInt64(categories)
                stats.bytesOnDisk = UInt64(bytes)
            }
            return stats
        }
    }

    // MARK: Writes

    public nonisolated(nonsending) func write<T>(_ body: (inout Transaction) async throws -> T) async throws -> T {
        try checkOpen()
        guard !configuration.readOnly else {
            throw EventStoreError(code: .readOnly, message: "the store in schema \(schema) was opened read-only")
        }
        do {
            return try await client.withTransaction(logger: logger) { conn in
                var txn = try await Transaction(storage: self, connection: conn)
                return try await body(&txn)
            }
        } catch let error as PostgresTransactionError {
            // The body's own error (or the store's) comes back unchanged.
            if let closure = error.closureError { throw closure }
            throw Self.storageError(error.commitError ?? error.beginError ?? error.rollbackError ?? error)
        } catch let error as PSQLError {
            throw Self.storageError(error)
        }
    }

    // MARK: Other processes

    public func watchCommits(_ onCommit: @escaping @Sendable (UInt64) -> Void) {
        let channel = "caseledger_\(schema)"
        let client = self.client
        let logger = self.logger
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { conn in
                        try await conn.listen(on: channel) { notifications in
                            for try await n in notifications {
                                if let p = UInt64(n.payload) { onCommit(p) }
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.debug("LISTEN connection lost; reconnecting", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
        }
        listener.withLock { $0 = task }
    }

    public func close() async {
        let wasClosed = closed.withLock { c -> Bool in
            defer { c = true }
            return c
        }
        guard !wasClosed else { return }
        listener.withLock { $0?.cancel() }
        runner.cancel()
    }
}

/// The event store on a PostgreSQL server: an ``EventLog`` over ``PostgresStorage``.
public typealias PostgresEventStore = EventLog<PostgresStorage>

extension EventLog where Storage == PostgresStorage {
    /// Connects, creates or migrates the schema, and starts listening for commits.
    ///
    /// ```swift
    /// let store = try await PostgresEventStore.connect(try PostgresStoreConfiguration(url: "postgres://ledger@127.0.0.1/city"))
    /// ```
    ///
    /// - Throws: ``EventStoreError`` (storage) when the server cannot be reached.
    public static func connect(_ configuration: PostgresStoreConfiguration) async throws(EventStoreError) -> PostgresEventStore {
        let storage = try await PostgresStorage.connect(configuration)
        return EventLog(storage: storage, options: configuration.options, inlineProjections: configuration.inlineProjections)
    }
}
