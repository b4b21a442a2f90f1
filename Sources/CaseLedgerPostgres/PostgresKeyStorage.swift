import CaseLedger
import Logging
import NIOCore
import PostgresNIO

/// Subjects' keys in a table of the store's schema, `personal_keys`
/// (`subject text COLLATE "C" PRIMARY KEY`, `key_id bytea`, `wrapped bytea`),
/// created on first use, over the store's connection pool.
///
/// Destroying a key deletes its row, waits (30 s at most) until no session
/// of the database holds a snapshot older than the delete, and then runs
/// `VACUUM FULL` on the table, which rewrites it without the dead row, so
/// the table's files keep no copy. (A transaction left open for longer keeps
/// the row until a later destroy's vacuum.) PostgreSQL's write-ahead log keeps the wrapped key until its
/// segments are recycled (and a base backup or a replica keeps what it has):
/// those copies are wrapped by the master key.
///
/// ```swift
/// let store = try await PostgresEventStore.connect(configuration)
/// let vault = try await PersonalDataVault(storage: try await PostgresKeyStorage(store: store), masterKey: master)
/// ```
public actor PostgresKeyStorage: PersonalKeyStorage {
    private let client: PostgresClient
    private let schema: String
    private let logger: Logger

    /// Whether the table exists (a read-only key store does not create it).
    private let exists: Bool
    /// Whether writes are refused.
    private let readOnly: Bool

    private func refuseWrite() throws(PersonalDataError) {
        if readOnly { throw PersonalDataError(.storage, "key store: opened read only, nothing is written") }
    }

    /// The key store of `store`'s schema, creating its table when missing;
    /// `readOnly` creates nothing, and a missing table holds no keys.
    public init(store: PostgresEventStore, readOnly: Bool = false) async throws(PersonalDataError) {
        client = store.storage.client
        schema = store.storage.schema
        logger = store.storage.logger
        let s = schema
        let logger = self.logger
        let client = self.client
        self.readOnly = readOnly
        if readOnly {
            exists = try await Self.run(client) { connection in
                let rows = try await connection.query("SELECT to_regclass(\(s + ".personal_keys")) IS NOT NULL", logger: logger)
                for try await found in rows.decode(Bool.self) { return found }
                return false
            }
            return
        }
        exists = true
        try await Self.run(client) { connection in
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS \(unescaped: s).personal_keys (
                    subject text COLLATE "C" PRIMARY KEY, key_id bytea NOT NULL, wrapped bytea NOT NULL)
                """, logger: logger)
        }
    }

    private static func run<T: Sendable>(_ client: PostgresClient, _ body: @Sendable (PostgresConnection) async throws -> T) async throws(PersonalDataError) -> T {
        do {
            return try await client.withConnection { try await body($0) }
        } catch {
            throw PersonalDataError(.storage, "key store: \(PostgresStorage.storageError(error).message)")
        }
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [WrappedSubjectKey] {
        var out: [WrappedSubjectKey] = []
        for try await (subject, id, wrapped) in rows.decode((String, ByteBuffer, ByteBuffer).self) {
            out.append(WrappedSubjectKey(subject: subject, keyID: Array(buffer: id), wrapped: Array(buffer: wrapped)))
        }
        return out
    }

    public func allKeys() async throws(PersonalDataError) -> [WrappedSubjectKey] {
        guard exists else { return [] }
        let s = schema, logger = self.logger
        return try await Self.run(client) { connection in
            try await Self.decode(try await connection.query("SELECT subject, key_id, wrapped FROM \(unescaped: s).personal_keys ORDER BY subject", logger: logger))
        }
    }

    public func insert(_ key: WrappedSubjectKey) async throws(PersonalDataError) -> WrappedSubjectKey {
        try refuseWrite()
        let s = schema, logger = self.logger
        let kept = try await Self.run(client) { connection in
            try await connection.query("""
                INSERT INTO \(unescaped: s).personal_keys (subject, key_id, wrapped)
                VALUES (\(key.subject), \(ByteBuffer(bytes: key.keyID)), \(ByteBuffer(bytes: key.wrapped)))
                ON CONFLICT (subject) DO NOTHING
                """, logger: logger)
            return try await Self.decode(try await connection.query(
                "SELECT subject, key_id, wrapped FROM \(unescaped: s).personal_keys WHERE subject = \(key.subject)", logger: logger))
        }
        guard let first = kept.first else { throw PersonalDataError(.storage, "key store: the key of a subject was not kept") }
        return first
    }

    public func destroy(subject: String) async throws(PersonalDataError) -> Bool {
        try refuseWrite()
        let s = schema, logger = self.logger
        return try await Self.run(client) { connection in
            // The delete's transaction id (its own, in autocommit).
            var deleted: Int64?
            for try await xid in try await connection.query(
                "DELETE FROM \(unescaped: s).personal_keys WHERE subject = \(subject) RETURNING txid_current() % 4294967296", logger: logger
            ).decode(Int64.self) {
                deleted = xid
            }
            // VACUUM FULL copies a row that an older snapshot may still see
            // ("recently dead") into the new table: wait (30 s at most)
            // until no session of the database holds a snapshot from before
            // the delete, so the row is dead for everyone and left behind.
            if let deleted {
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline {
                    var older: Int64 = 0
                    for try await count in try await connection.query("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL
                          AND age(backend_xmin) >= age(\(deleted)::text::xid)
                        """, logger: logger).decode(Int64.self) {
                        older = count
                    }
                    if older == 0 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            // Rewrites the table without the dead row (outside any transaction).
            try await connection.query("VACUUM FULL \(unescaped: s).personal_keys", logger: logger)
            return deleted != nil
        }
    }

    /// The store owns the connections: nothing to close.
    public func close() {}
}
