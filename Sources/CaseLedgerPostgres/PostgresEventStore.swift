import CaseLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The event store on a PostgreSQL server, for services that outgrow one machine.
///
/// ## No event skipped, in any process
/// Every append transaction first locks the single row of `head` (`SELECT …
/// FOR UPDATE`), takes its positions from it, and updates it before
/// committing. Appends therefore commit one after another, in position order,
/// across every process: position n + 1 cannot commit before n, and a rolled
/// back append leaves no gap (the next one reuses its positions). A reader
/// that sees position p sees everything below p, so read-all and subscribers
/// never skip an event that commits late. The cost is one writer at a time
/// on the server — the same single-writer model as LMDB; each process
/// batches its concurrent appends into one transaction (group commit).
/// Subscribers are woken by `LISTEN`/`NOTIFY`, with a catch-up read once a
/// second as a safety net.
///
/// ```swift
/// let store = try await PostgresEventStore.connect(try PostgresStoreConfiguration(url: "postgres://ledger@127.0.0.1/city"))
/// _ = try await store.append([EventData(type: "TicketFiled", payload: [])], to: try StreamName("ticket-1"))
/// await store.close()
/// ```
public final class PostgresEventStore: ReadModelStore {
    let client: PostgresClient
    let configuration: PostgresStoreConfiguration
    let logger: Logger
    let metrics: StoreMetrics
    let notifier: HeadNotifier
    let schema: String
    let runnerTask: Task<Void, Never>
    let listener = Mutex<Task<Void, Never>?>(nil)
    let closed = Mutex(false)
    private let queue = Mutex<PostgresAppendQueue?>(nil)

    private init(configuration: PostgresStoreConfiguration, client: PostgresClient, runner: Task<Void, Never>) {
        self.configuration = configuration
        self.client = client
        self.runnerTask = runner
        self.logger = configuration.options.logger
        self.metrics = StoreMetrics(backend: "postgres", factory: configuration.options.metricsFactory)
        self.notifier = HeadNotifier()
        self.schema = configuration.schema
    }

    /// Connects, creates or migrates the schema, and starts listening for commits.
    ///
    /// - Throws: ``EventStoreError`` (storage) when the server cannot be reached.
    public static func connect(_ configuration: PostgresStoreConfiguration) async throws(EventStoreError) -> PostgresEventStore {
        var config = PostgresClient.Configuration(host: configuration.host, port: configuration.port, username: configuration.username,
                                                  password: configuration.password, database: configuration.database, tls: .disable)
        config.options.maximumConnections = max(2, configuration.maximumConnections)
        let client = PostgresClient(configuration: config, backgroundLogger: configuration.options.logger)
        let runner = Task { await client.run() }
        let store = PostgresEventStore(configuration: configuration, client: client, runner: runner)
        do {
            try await store.migrate()
            store.notifier.advance(to: try await store.headPosition())
        } catch {
            runner.cancel()
            throw error
        }
        store.queue.withLock { $0 = PostgresAppendQueue { [weak store] groups in
            guard let store else { return groups.map { _ in .failure(.storeClosed) } }
            return await store.commit(groups)
        } }
        store.startListening()
        return store
    }

    static func storageError(_ error: any Error) -> EventStoreError {
        if let e = error as? EventStoreError { return e }
        return EventStoreError.storage("PostgreSQL: \(String(reflecting: error))")
    }

    func checkOpen() throws(EventStoreError) {
        if closed.withLock({ $0 }) { throw EventStoreError.storeClosed }
    }

    /// Runs the versioned migrations once, under an advisory lock.
    func migrate() async throws(EventStoreError) {
        let s = schema
        do {
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
        } catch {
            throw Self.storageError(error)
        }
    }

    private func startListening() {
        let channel = "caseledger_\(schema)"
        let notifier = self.notifier
        let client = self.client
        let logger = self.logger
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { conn in
                        try await conn.listen(on: channel) { notifications in
                            for try await n in notifications {
                                if let p = UInt64(n.payload) { notifier.advance(to: p) }
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

    // MARK: Appends

    public func append(_ appends: [StreamAppend]) async throws(EventStoreError) -> [AppendResult] {
        try checkOpen()
        do throws(EventStoreError) {
            try AppendPlanner.validate(appends, maximumPayloadSize: configuration.options.maximumPayloadSize)
        } catch {
            metrics.failures.increment()
            throw error
        }
        guard let queue = queue.withLock({ $0 }) else { throw EventStoreError.storeClosed }
        return try await queue.submit(appends).get()
    }

    /// Commits a group of appends in one transaction.
    func commit(_ group: [[StreamAppend]]) async -> [Result<[AppendResult], EventStoreError>] {
        let started = DispatchTime.now().uptimeNanoseconds
        let s = schema
        let logger = self.logger
        let inline = configuration.inlineProjections
        let now = configuration.options.clock()
        do {
            let (results, written, head) = try await client.withTransaction(logger: logger) { conn -> ([Result<[AppendResult], EventStoreError>], Int, UInt64) in
                var head: UInt64 = 0
                var lastHash = AuditHash.genesis
                for try await (position, hash) in try await conn.query("SELECT position, hash FROM \(unescaped: s).head WHERE id = 1 FOR UPDATE", logger: logger).decode((Int64, ByteBuffer).self) {
                    head = UInt64(position)
                    if head > 0 { lastHash = AuditHash(bytes: Array(hash.readableBytesView)) }
                }
                // Prefetch what the rules need.
                let view = PrefetchedAppendView()
                let streams = Array(Set(group.flatMap { $0.map(\.stream.value) }))
                for try await (stream, version) in try await conn.query("SELECT stream, version FROM \(unescaped: s).streams WHERE stream = ANY(\(streams))", logger: logger).decode((String, Int64).self) {
                    view.versions[stream] = UInt64(version)
                }
                let ids = group.flatMap { $0.flatMap { $0.events.map(\.id) } }
                var known: [Int64] = []
                for try await (id, position) in try await conn.query("SELECT event_id, position FROM \(unescaped: s).events WHERE event_id = ANY(\(ids))", logger: logger).decode((UUID, Int64).self) {
                    view.ids[id] = UInt64(position)
                    known.append(position)
                }
                if !known.isEmpty {
                    for try await (position, record) in try await conn.query("SELECT position, record FROM \(unescaped: s).events WHERE position = ANY(\(known))", logger: logger).decode((Int64, ByteBuffer).self) {
                        view.records[UInt64(position)] = Array(record.readableBytesView)
                    }
                }
                if let inline {
                    try await self.synchronize(inline, head: head, conn: conn)
                    inline.begin()
                }
                var results: [Result<[AppendResult], EventStoreError>] = []
                var planned: [PlannedRecord] = []
                var heads: [String: UInt64] = [:]
                for appends in group {
                    let plan: AppendPlan
                    do throws(EventStoreError) {
                        plan = try AppendPlanner.plan(appends, head: head, lastHash: lastHash, view: view, now: now)
                        if let inline, !plan.records.isEmpty {
                            var records: [RecordedEvent] = []
                            for r in plan.records {
                                do throws(RecordFormatError) { records.append(try RecordFormat.decode(stored: r.value)) } catch {
                                    throw EventStoreError.storage("could not decode a record just encoded: \(error)")
                                }
                            }
                            try inline.stage(records)
                        }
                    } catch {
                        if error.code == .storage { throw error }
                        results.append(.failure(error))
                        continue
                    }
                    view.apply(plan)
                    planned += plan.records
                    for (stream, version) in plan.streamHeads { heads[stream] = version }
                    head = plan.head
                    lastHash = plan.lastHash
                    results.append(.success(plan.results))
                }
                if !planned.isEmpty {
                    let positions = planned.map { Int64($0.position) }
                    let names = planned.map(\.stream)
                    let versions = planned.map { Int64($0.streamVersion) }
                    let eventIDs = planned.map(\.id)
                    let types = planned.map(\.type)
                    let categories = planned.map(\.category)
                    let values = planned.map { ByteBuffer(bytes: $0.value) }
                    try await conn.query("""
                        INSERT INTO \(unescaped: s).events (position, stream, version, event_id, type, category, record)
                        SELECT * FROM unnest(\(positions)::bigint[], \(names)::text[], \(versions)::bigint[], \(eventIDs)::uuid[], \(types)::text[], \(categories)::text[], \(values)::bytea[])
                        """, logger: logger)
                    let headStreams = Array(heads.keys)
                    let headVersions = headStreams.map { Int64(heads[$0]!) }
                    try await conn.query("""
                        INSERT INTO \(unescaped: s).streams (stream, version) SELECT * FROM unnest(\(headStreams)::text[], \(headVersions)::bigint[])
                        ON CONFLICT (stream) DO UPDATE SET version = EXCLUDED.version
                        """, logger: logger)
                    try await conn.query("UPDATE \(unescaped: s).head SET position = \(Int64(head)), hash = \(ByteBuffer(bytes: lastHash.bytes)) WHERE id = 1", logger: logger)
                    if let inline {
                        try await self.write(try inline.stagedWrites(), conn: conn)
                    }
                    try await conn.query("SELECT pg_notify(\("caseledger_" + s), \(String(head)))", logger: logger)
                }
                return (results, planned.count, head)
            }
            inline?.commit()
            notifier.advance(to: head)
            let ok = results.filter { if case .success = $0 { return true } else { return false } }.count
            metrics.recordCommit(appends: ok, events: written, failures: results.count - ok,
                                 nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
            return results
        } catch {
            inline?.rollback()
            let e = Self.storageError(error)
            logger.error("PostgreSQL commit failed", metadata: ["error": "\(e)"])
            metrics.failures.increment(by: group.count)
            return group.map { _ in .failure(e) }
        }
    }

    /// Brings inline projections in line with the stored slots and log.
    func synchronize(_ inline: InlineProjections, head: UInt64, conn: PostgresConnection) async throws {
        let s = schema
        let names = inline.names
        var stored: [String: StoredProjection] = [:]
        for try await (slot, checkpoint, state) in try await conn.query("SELECT slot, checkpoint, state FROM \(unescaped: s).projections WHERE slot = ANY(\(names))", logger: logger).decode((String, Int64, ByteBuffer).self) {
            stored[slot] = StoredProjection(checkpoint: UInt64(checkpoint), state: Array(state.readableBytesView))
        }
        let low = names.map { min(inline.checkpoint(of: $0) ?? 0, stored[$0]?.checkpoint ?? 0) }.min() ?? head
        var records: [RecordedEvent] = []
        if low < head {
            for try await (record) in try await conn.query("SELECT record FROM \(unescaped: s).events WHERE position > \(Int64(low)) AND position <= \(Int64(head)) ORDER BY position", logger: logger).decode(ByteBuffer.self) {
                records.append(try RecordFormat.decode(stored: Array(record.readableBytesView)))
            }
        }
        try inline.synchronize(head: head, stored: { (slot) throws(EventStoreError) in stored[slot] },
                               events: { (from, to) throws(EventStoreError) in records.filter { $0.position >= from && $0.position <= to } })
    }

    func write(_ writes: [ReadModelWrite], conn: PostgresConnection) async throws {
        let s = schema
        for w in writes {
            switch w {
            case .saveProjection(let slot, let p):
                try await conn.query("""
                    INSERT INTO \(unescaped: s).projections (slot, checkpoint, state) VALUES (\(slot), \(Int64(p.checkpoint)), \(ByteBuffer(bytes: p.state)))
                    ON CONFLICT (slot) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, state = EXCLUDED.state
                    """, logger: logger)
            case .deleteProjection(let slot):
                try await conn.query("DELETE FROM \(unescaped: s).projections WHERE slot = \(slot)", logger: logger)
            case .saveSnapshot(let stream, let snap):
                try await conn.query("""
                    INSERT INTO \(unescaped: s).snapshots (stream, version, schema_version, state) VALUES (\(stream), \(Int64(snap.version)), \(Int32(snap.schemaVersion)), \(ByteBuffer(bytes: snap.state)))
                    ON CONFLICT (stream) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state
                    """, logger: logger)
            }
        }
    }
}
