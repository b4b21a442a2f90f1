import CaseLedger
import Logging
import NIOCore
import PostgresNIO

/// Read-model slots and rows on one connection: the queries the storage's
/// reads and a write transaction share.
extension PostgresStorage {
    /// A slot's state and checkpoint with every row of `tables`, read on
    /// `connection` (the caller holds the snapshot: a transaction).
    static func projection(_ slot: String, tables: [String], on connection: PostgresConnection,
                           schema s: String, logger: Logger) async throws -> StoredProjection? {
        var stored: StoredProjection?
        for try await (checkpoint, state) in try await connection.query("SELECT checkpoint, state FROM \(unescaped: s).projections WHERE slot = \(slot)", logger: logger).decode((Int64, ByteBuffer).self) {
            stored = StoredProjection(checkpoint: UInt64(checkpoint), state: Array(state.readableBytesView))
        }
        guard var out = stored else { return nil }
        for table in tables { out.rows[table] = try await rows(slot, table: table, .all, on: connection, schema: s, logger: logger) }
        return out
    }

    /// The rows of a slot's table in `range`, in key order (the column's "C"
    /// collation: UTF-8 bytes).
    static func rows(_ slot: String, table: String, _ range: RowRange, on connection: PostgresConnection,
                     schema s: String, logger: Logger) async throws -> [ReadModelRow] {
        guard range.limit > 0 else { return [] }
        let limit = Int64(clamping: range.limit)
        let query: PostgresQuery = """
            SELECT key, value FROM \(unescaped: s).read_model_rows
            WHERE slot = \(slot) AND tbl = \(table) AND (\(range.start)::text IS NULL OR key >= \(range.start))
              AND (\(range.end)::text IS NULL OR key <= \(range.end))
            ORDER BY key LIMIT \(limit)
            """
        var out: [ReadModelRow] = []
        for try await (key, value) in try await connection.query(query, logger: logger).decode((String, ByteBuffer).self) {
            out.append(ReadModelRow(key: key, value: Array(value.readableBytesView)))
        }
        return out
    }

    /// Stores and removes rows of a slot's table.
    static func saveRows(_ slot: String, table: String, _ rows: [ReadModelRow], deleting: [String],
                         on connection: PostgresConnection, schema s: String, logger: Logger) async throws {
        if !rows.isEmpty {
            let keys = rows.map(\.key)
            let values = rows.map { ByteBuffer(bytes: $0.value) }
            try await connection.query("""
                INSERT INTO \(unescaped: s).read_model_rows (slot, tbl, key, value)
                SELECT \(slot), \(table), k, v FROM unnest(\(keys)::text[], \(values)::bytea[]) AS t(k, v)
                ON CONFLICT (slot, tbl, key) DO UPDATE SET value = EXCLUDED.value
                """, logger: logger)
        }
        if !deleting.isEmpty {
            try await connection.query("DELETE FROM \(unescaped: s).read_model_rows WHERE slot = \(slot) AND tbl = \(table) AND key = ANY(\(deleting))", logger: logger)
        }
    }

    /// Runs `body` in a read-only transaction that sees one snapshot
    /// (postgres-nio's transaction: a failed rollback closes the connection
    /// rather than returning it to the pool inside the transaction).
    func inSnapshot<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws(EventStoreError) -> T {
        let logger = self.logger
        return try await query {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                return try await body(connection)
            }
        }
    }
}
