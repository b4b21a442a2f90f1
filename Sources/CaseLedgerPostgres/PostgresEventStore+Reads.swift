import CaseLedger
import Foundation
import NIOCore
import PostgresNIO

extension PostgresEventStore {
    func records(_ query: PostgresQuery) async throws(EventStoreError) -> [RecordedEvent] {
        try checkOpen()
        do {
            var out: [RecordedEvent] = []
            for try await (record) in try await client.query(query, logger: logger).decode(ByteBuffer.self) {
                out.append(try RecordFormat.decode(stored: Array(record.readableBytesView)))
            }
            return out
        } catch {
            throw Self.storageError(error)
        }
    }

    public func readStream(_ stream: StreamName, from version: UInt64?, direction: ReadDirection, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        let s = schema
        switch direction {
        case .forward:
            let from = Int64(max(1, version ?? 1))
            return try await records("SELECT record FROM \(unescaped: s).events WHERE stream = \(stream.value) AND version >= \(from) ORDER BY version LIMIT \(Int64(limit))")
        case .backward:
            let from = Int64(clamping: version ?? UInt64(Int64.max))
            return try await records("SELECT record FROM \(unescaped: s).events WHERE stream = \(stream.value) AND version <= \(from) ORDER BY version DESC LIMIT \(Int64(limit))")
        }
    }

    public func readAll(from position: UInt64, filter: EventFilter, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        let s = schema
        let start = Int64(max(1, position))
        switch (filter.categories, filter.eventTypes) {
        case (nil, nil):
            return try await records("SELECT record FROM \(unescaped: s).events WHERE position >= \(start) ORDER BY position LIMIT \(Int64(limit))")
        case (let c?, nil):
            return try await records("SELECT record FROM \(unescaped: s).events WHERE category = ANY(\(Array(c))) AND position >= \(start) ORDER BY position LIMIT \(Int64(limit))")
        case (nil, let t?):
            return try await records("SELECT record FROM \(unescaped: s).events WHERE type = ANY(\(Array(t))) AND position >= \(start) ORDER BY position LIMIT \(Int64(limit))")
        case (let c?, let t?):
            return try await records("SELECT record FROM \(unescaped: s).events WHERE category = ANY(\(Array(c))) AND type = ANY(\(Array(t))) AND position >= \(start) ORDER BY position LIMIT \(Int64(limit))")
        }
    }

    public func readStoredRecords(from position: UInt64, limit: Int) async throws(EventStoreError) -> [StoredRecord] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        try checkOpen()
        let s = schema
        do {
            var out: [StoredRecord] = []
            for try await (p, record) in try await client.query("SELECT position, record FROM \(unescaped: s).events WHERE position >= \(Int64(max(1, position))) ORDER BY position LIMIT \(Int64(limit))", logger: logger).decode((Int64, ByteBuffer).self) {
                out.append(StoredRecord(position: UInt64(p), bytes: Array(record.readableBytesView)))
            }
            return out
        } catch {
            throw Self.storageError(error)
        }
    }

    public func headPosition() async throws(EventStoreError) -> UInt64 {
        try checkOpen()
        let s = schema
        do {
            for try await (p) in try await client.query("SELECT position FROM \(unescaped: s).head WHERE id = 1", logger: logger).decode(Int64.self) {
                return UInt64(p)
            }
            return 0
        } catch {
            throw Self.storageError(error)
        }
    }

    public func streamVersion(_ stream: StreamName) async throws(EventStoreError) -> UInt64 {
        try checkOpen()
        let s = schema
        do {
            for try await (v) in try await client.query("SELECT version FROM \(unescaped: s).streams WHERE stream = \(stream.value)", logger: logger).decode(Int64.self) {
                return UInt64(v)
            }
            return 0
        } catch {
            throw Self.storageError(error)
        }
    }

    public func waitForHead(beyond position: UInt64) async throws(EventStoreError) -> UInt64? {
        try checkOpen()
        guard await notifier.wait(beyond: position, timeout: .seconds(1)) != nil else { return nil }
        // The safety net: whatever the notification said, read the head.
        return try await headPosition()
    }

    public func sync() async throws(EventStoreError) {
        try checkOpen()
    }

    public func close() async {
        let wasClosed = closed.withLock { c -> Bool in
            defer { c = true }
            return c
        }
        guard !wasClosed else { return }
        listener.withLock { $0?.cancel() }
        notifier.close()
        runnerTask.cancel()
    }

    public func loadProjection(slot: String) async throws(EventStoreError) -> StoredProjection? {
        try checkOpen()
        let s = schema
        do {
            for try await (checkpoint, state) in try await client.query("SELECT checkpoint, state FROM \(unescaped: s).projections WHERE slot = \(slot)", logger: logger).decode((Int64, ByteBuffer).self) {
                return StoredProjection(checkpoint: UInt64(checkpoint), state: Array(state.readableBytesView))
            }
            return nil
        } catch {
            throw Self.storageError(error)
        }
    }

    public func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        try checkOpen()
        let s = schema
        do {
            for try await (version, schemaVersion, state) in try await client.query("SELECT version, schema_version, state FROM \(unescaped: s).snapshots WHERE stream = \(stream)", logger: logger).decode((Int64, Int32, ByteBuffer).self) {
                return AggregateSnapshot(version: UInt64(version), schemaVersion: UInt16(schemaVersion), state: Array(state.readableBytesView))
            }
            return nil
        } catch {
            throw Self.storageError(error)
        }
    }

    public func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
        try checkOpen()
        guard !writes.isEmpty else { return }
        do {
            try await client.withTransaction(logger: logger) { conn in try await self.write(writes, conn: conn) }
        } catch {
            throw Self.storageError(error)
        }
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        try checkOpen()
        let s = schema
        do {
            var out: [String] = []
            for try await (slot) in try await client.query("SELECT slot FROM \(unescaped: s).projections ORDER BY slot COLLATE \"C\"", logger: logger).decode(String.self) {
                out.append(slot)
            }
            return out
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Counts events, streams and categories, and reads the head.
    public func statistics() async throws(EventStoreError) -> StoreStatistics {
        try checkOpen()
        let s = schema
        do {
            var stats = StoreStatistics(events: 0, streams: 0, categories: 0, bytesOnDisk: 0, headPosition: 0, headHash: "")
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
            for try await (p, hash) in try await client.query("SELECT position, hash FROM \(unescaped: s).head WHERE id = 1", logger: logger).decode((Int64, ByteBuffer).self) {
                stats.headPosition = UInt64(p)
                stats.headHash = p == 0 ? "" : AuditHash.hexString(Array(hash.readableBytesView))
            }
            return stats
        } catch {
            throw Self.storageError(error)
        }
    }
}
