import CaseLedger
import Foundation
import NIOCore
import PostgresNIO

extension PostgresStorage {
    /// A write transaction on one connection. It locks the `head` row first,
    /// so transactions of every process commit one at a time, in position
    /// order.
    public struct Transaction: EventStorageTransaction {
        let storage: PostgresStorage
        let connection: PostgresConnection
        /// The head as this transaction leaves it.
        var tip: LogHead

        init(storage: PostgresStorage, connection: PostgresConnection) async throws(EventStoreError) {
            self.storage = storage
            self.connection = connection
            let s = storage.schema
            let logger = storage.logger
            var tip = LogHead.empty
            try await Self.run {
                for try await (position, hash) in try await connection.query("SELECT position, hash FROM \(unescaped: s).head WHERE id = 1 FOR UPDATE", logger: logger).decode((Int64, ByteBuffer).self) {
                    tip = try PostgresStorage.head(position: position, hash: hash)
                }
            }
            self.tip = tip
        }

        /// Runs queries, turning failures into store errors.
        nonisolated(nonsending) static func run<T>(_ body: () async throws -> T) async throws(EventStoreError) -> T {
            do {
                return try await body()
            } catch {
                throw PostgresStorage.storageError(error)
            }
        }

        public func head() async throws(EventStoreError) -> LogHead { tip }

        public func streamVersions(_ streams: [String]) async throws(EventStoreError) -> [String: UInt64] {
            let s = storage.schema
            return try await Self.run {
                var out: [String: UInt64] = [:]
                for try await (stream, version) in try await connection.query("SELECT stream, version FROM \(unescaped: s).streams WHERE stream = ANY(\(streams))", logger: storage.logger).decode((String, Int64).self) {
                    out[stream] = UInt64(version)
                }
                return out
            }
        }

        public func positions(ofEventIDs ids: [UUID]) async throws(EventStoreError) -> [UUID: UInt64] {
            let s = storage.schema
            return try await Self.run {
                var out: [UUID: UInt64] = [:]
                for try await (id, position) in try await connection.query("SELECT event_id, position FROM \(unescaped: s).events WHERE event_id = ANY(\(ids))", logger: storage.logger).decode((UUID, Int64).self) {
                    out[id] = UInt64(position)
                }
                return out
            }
        }

        /// The stored records at some positions, fetched in one query.
        private nonisolated(nonsending) func records(_ query: PostgresQuery) async throws(EventStoreError) -> [(Int64, ByteBuffer)] {
            try await Self.run {
                var rows: [(Int64, ByteBuffer)] = []
                for try await row in try await connection.query(query, logger: storage.logger).decode((Int64, ByteBuffer).self) { rows.append(row) }
                return rows
            }
        }

        public nonisolated(nonsending) func scanRecords(at positions: [UInt64], _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Void) async throws {
            guard !positions.isEmpty else { return }
            let s = storage.schema
            let rows = try await records("SELECT position, record FROM \(unescaped: s).events WHERE position = ANY(\(positions.map { Int64(clamping: $0) }))")
            let byPosition = Dictionary(rows, uniquingKeysWith: { a, _ in a })
            for p in positions {
                guard let record = byPosition[Int64(clamping: p)] else { throw EventStoreError.corrupted("no record at position \(p)", position: p) }
                try record.withUnsafeReadableBytes { try visit(p, $0) }
            }
        }

        public nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Void) async throws {
            guard position <= last else { return }
            let s = storage.schema
            let rows = try await records("SELECT position, record FROM \(unescaped: s).events WHERE position >= \(Int64(clamping: position)) AND position <= \(Int64(clamping: last)) ORDER BY position")
            for (p, record) in rows { try record.withUnsafeReadableBytes { try visit(UInt64(p), $0) } }
        }

        public func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
            let s = storage.schema
            return try await Self.run {
                try await PostgresStorage.projection(slot, tables: tables, on: connection, schema: s, logger: storage.logger)
            }
        }

        public mutating func insert(_ batch: RecordBatch) async throws(EventStoreError) -> InsertOutcome {
            guard !batch.isEmpty else { return .inserted }
            var positions: [Int64] = [], names: [String] = [], versions: [Int64] = [], ids: [UUID] = []
            var types: [String] = [], categories: [String] = [], values: [ByteBuffer] = []
            positions.reserveCapacity(batch.count)
            try batch.forEach { (record) throws(EventStoreError) in
                positions.append(Int64(record.position))
                names.append(record.streamName)
                versions.append(Int64(record.streamVersion))
                ids.append(record.eventID)
                types.append(record.typeName)
                categories.append(record.category)
                values.append(ByteBuffer(bytes: record.stored))
            }
            let s = storage.schema
            let logger = storage.logger
            let connection = self.connection
            var inserted = Set<UUID>()
            try await Self.run {
                for try await (id) in try await connection.query("""
                    INSERT INTO \(unescaped: s).events (position, stream, version, event_id, type, category, record)
                    SELECT * FROM unnest(\(positions)::bigint[], \(names)::text[], \(versions)::bigint[], \(ids)::uuid[], \(types)::text[], \(categories)::text[], \(values)::bytea[])
                    ON CONFLICT (event_id) DO NOTHING RETURNING event_id
                    """, logger: logger).decode(UUID.self) {
                    inserted.insert(id)
                }
            }
            if inserted.count < ids.count, let existing = ids.first(where: { !inserted.contains($0) }) {
                return .eventIDExists(existing)
            }
            let streams = batch.streamVersions.map(\.stream)
            let streamVersions = batch.streamVersions.map { Int64($0.version) }
            let head = Int64(batch.lastPosition)
            let hash = ByteBuffer(bytes: batch.lastHash.bytes)
            try await Self.run {
                try await connection.query("""
                    INSERT INTO \(unescaped: s).streams (stream, version) SELECT * FROM unnest(\(streams)::text[], \(streamVersions)::bigint[])
                    ON CONFLICT (stream) DO UPDATE SET version = EXCLUDED.version
                    """, logger: logger)
                try await connection.query("UPDATE \(unescaped: s).head SET position = \(head), hash = \(hash) WHERE id = 1", logger: logger)
                try await connection.query("SELECT pg_notify(\("caseledger_" + s), \(String(head)))", logger: logger)
            }
            tip = LogHead(position: batch.lastPosition, hash: batch.lastHash)
            return .inserted
        }

        public mutating func apply(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
            let s = storage.schema
            let logger = storage.logger
            let connection = self.connection
            try await Self.run {
                for w in writes {
                    switch w {
                    case .saveProjection(let slot, let p):
                        try await connection.query("""
                            INSERT INTO \(unescaped: s).projections (slot, checkpoint, state) VALUES (\(slot), \(Int64(p.checkpoint)), \(ByteBuffer(bytes: p.state)))
                            ON CONFLICT (slot) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, state = EXCLUDED.state
                            """, logger: logger)
                    case .deleteProjection(let slot):
                        try await connection.query("DELETE FROM \(unescaped: s).projections WHERE slot = \(slot)", logger: logger)
                        try await connection.query("DELETE FROM \(unescaped: s).read_model_rows WHERE slot = \(slot)", logger: logger)
                    case .requireCheckpoint(let slot, let checkpoint):
                        // Write transactions run one at a time (the head row is locked).
                        var held: UInt64?
                        for try await value in try await connection.query("SELECT checkpoint FROM \(unescaped: s).projections WHERE slot = \(slot)", logger: logger).decode(Int64.self) {
                            held = UInt64(value)
                        }
                        guard held == checkpoint else { throw EventStoreError.readModelConflict(slot: slot, required: checkpoint, held: held) }
                    case .saveRows(let slot, let table, let rows, let deleting):
                        try await PostgresStorage.saveRows(slot, table: table, rows, deleting: deleting, on: connection, schema: s, logger: logger)
                    case .saveSnapshot(let stream, let snap):
                        try await connection.query("""
                            INSERT INTO \(unescaped: s).snapshots (stream, version, schema_version, state) VALUES (\(stream), \(Int64(snap.version)), \(Int32(snap.schemaVersion)), \(ByteBuffer(bytes: snap.state)))
                            ON CONFLICT (stream) DO UPDATE SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state
                            """, logger: logger)
                    }
                }
            }
        }
    }
}
