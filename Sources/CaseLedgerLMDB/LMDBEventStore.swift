import CLMDB
import CaseLedger
import Foundation
import Logging

/// The embedded, durable event store: one LMDB environment on local disk.
///
/// A single writer thread commits the appends of concurrent callers together
/// (group commit); reads run in read-only transactions on the caller's thread.
/// Several processes may open the same directory and append at once: LMDB's
/// writer lock serializes their transactions, and positions are taken from
/// the log inside the transaction, so they stay contiguous and unique.
///
/// ```swift
/// let store = try LMDBEventStore(path: "./caseledger-data")
/// let stream = try StreamName("ticket-2025-00017")
/// let result = try await store.append(
///     [EventData(type: "TicketFiled", payload: Array("{}".utf8))],
///     to: stream, expectedVersion: .noStream
/// )
/// print(result.positions)
/// await store.close()
/// ```
public final class LMDBEventStore: ReadModelStore {
    let environment: LMDBEnvironment
    private let notifier: HeadNotifier
    private let writer: LMDBWriter
    private let configuration: LMDBConfiguration
    private let metrics: StoreMetrics

    /// Opens or creates the store described by `configuration`.
    ///
    /// - Throws: ``EventStoreError`` with code `storage` when the directory
    ///   cannot be created or LMDB refuses to open it.
    public init(configuration: LMDBConfiguration) throws(EventStoreError) {
        self.configuration = configuration
        self.environment = try LMDBEnvironment(
            path: configuration.path,
            durability: configuration.durability,
            initialMapSize: configuration.initialMapSize
        )
        self.metrics = StoreMetrics(backend: "lmdb", factory: configuration.options.metricsFactory)
        let environment = self.environment
        let head: UInt64 = try environment.withReadTransaction { (raw) throws(EventStoreError) -> UInt64 in
            do throws(LMDBResult) {
                return try LMDBTransaction(txn: raw, dbs: environment.dbs).head().0
            } catch {
                throw error.storeError
            }
        }
        if let inline = configuration.inlineProjections {
            try environment.withReadTransaction { (raw) throws(EventStoreError) in
                let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
                try inline.synchronize(head: head, stored: { (slot) throws(EventStoreError) in try txn.storedProjection(slot) },
                                       events: { (from, to) throws(EventStoreError) in try txn.records(from: from, to: to) })
            }
        }
        let notifier = HeadNotifier(head: head)
        self.notifier = notifier
        self.writer = LMDBWriter(
            environment: environment,
            maximumEventsPerCommit: configuration.maximumEventsPerCommit,
            options: configuration.options,
            metrics: metrics,
            inline: configuration.inlineProjections,
            onCommit: { notifier.advance(to: $0) }
        )
        configuration.options.logger.debug("opened LMDB store", metadata: ["path": "\(configuration.path)"])
    }

    /// Opens or creates a durable store at `path`.
    public convenience init(path: String, durability: LMDBDurability = .durable, options: EventStoreOptions = EventStoreOptions()) throws(EventStoreError) {
        try self.init(configuration: LMDBConfiguration(path: path, durability: durability, options: options))
    }

    /// The directory of the environment.
    public var path: String { configuration.path }

    /// The size of the data file in bytes.
    public var bytesOnDisk: UInt64 { environment.bytesOnDisk }

    /// The current LMDB map size in bytes.
    public var mapSize: Int { environment.mapSize }

    public func append(_ appends: [StreamAppend]) async throws(EventStoreError) -> [AppendResult] {
        do throws(EventStoreError) {
            try AppendPlanner.validate(appends, maximumPayloadSize: configuration.options.maximumPayloadSize)
        } catch {
            metrics.failures.increment()
            throw error
        }
        let count = appends.reduce(0) { $0 + $1.events.count }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>) in
            if !writer.enqueue(.append(appends, eventCount: count, continuation)) {
                continuation.resume(returning: .failure(.storeClosed))
            }
        }
        return try result.get()
    }

    public func readStream(_ stream: StreamName, from version: UInt64?, direction: ReadDirection, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try environment.withReadTransaction { (raw) throws(EventStoreError) -> [RecordedEvent] in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            var prefix = Array(stream.value.utf8)
            prefix.append(0)
            var positions: [UInt64] = []
            do throws(LMDBResult) {
                let c = try txn.cursor(txn.dbs.streams)
                defer { c.close() }
                func matches(_ k: MDB_val) -> Bool {
                    guard k.mv_size == prefix.count + 8 else { return false }
                    return prefix.withUnsafeBytes { memcmp($0.baseAddress!, k.mv_data, prefix.count) == 0 }
                }
                switch direction {
                case .forward:
                    var entry = try c.seek(LMDBKeys.stream(stream.value, version: max(1, version ?? 1)))
                    while let (k, v) = entry, matches(k), positions.count < limit {
                        positions.append(LMDBKeys.trailingUInt64(v))
                        entry = try c.get(MDB_NEXT)
                    }
                case .backward:
                    let from = version ?? UInt64.max
                    guard from >= 1 else { return [] }
                    var entry: (MDB_val, MDB_val)?
                    if let found = try c.seek(LMDBKeys.stream(stream.value, version: from)) {
                        entry = LMDBKeys.trailingUInt64(found.0) == from && matches(found.0) ? found : try c.get(MDB_PREV)
                    } else {
                        entry = try c.get(MDB_LAST)
                    }
                    while let (k, v) = entry, matches(k), positions.count < limit {
                        positions.append(LMDBKeys.trailingUInt64(v))
                        entry = try c.get(MDB_PREV)
                    }
                }
            } catch {
                throw error.storeError
            }
            var out: [RecordedEvent] = []
            out.reserveCapacity(positions.count)
            for p in positions {
                guard let r = try txn.record(at: p) else {
                    throw EventStoreError.storage("stream index points at missing position \(p)")
                }
                out.append(r)
            }
            return out
        }
    }

    public func readAll(from position: UInt64, filter: EventFilter, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        let start = max(1, position)
        return try environment.withReadTransaction { (raw) throws(EventStoreError) -> [RecordedEvent] in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            if let categories = filter.categories {
                return try readCategories(categories, from: start, filter: filter, limit: limit, txn: txn)
            }
            var out: [RecordedEvent] = []
            do throws(LMDBResult) {
                let c = try txn.cursor(txn.dbs.events)
                defer { c.close() }
                var entry = try c.seek(LMDBKeys.position(start))
                while let (_, v) = entry, out.count < limit {
                    let buffer = LMDBKeys.buffer(v)
                    if let types = filter.eventTypes {
                        let (_, _, type) = try peek(buffer)
                        if !types.contains(String(decoding: type, as: UTF8.self)) {
                            entry = try c.get(MDB_NEXT)
                            continue
                        }
                    }
                    out.append(try decode(buffer))
                    entry = try c.get(MDB_NEXT)
                }
            } catch {
                throw error.storeError
            }
            return out
        }
    }

    private func peek(_ buffer: UnsafeRawBufferPointer) throws(LMDBResult) -> (UInt64, UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        do throws(RecordFormatError) {
            return try RecordFormat.peek(stored: buffer)
        } catch {
            throw LMDBResult(code: MDB_CORRUPTED, operation: "reading a record (\(error))")
        }
    }

    private func decode(_ buffer: UnsafeRawBufferPointer) throws(LMDBResult) -> RecordedEvent {
        do throws(RecordFormatError) {
            return try RecordFormat.decode(stored: buffer)
        } catch {
            throw LMDBResult(code: MDB_CORRUPTED, operation: "reading a record (\(error))")
        }
    }

    /// Merges the category index's position lists, then fetches the records.
    private func readCategories(_ categories: Set<String>, from start: UInt64, filter: EventFilter, limit: Int, txn: LMDBTransaction) throws(EventStoreError) -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        var next = start
        // Fetch positions in rounds so a type filter that rejects many events still fills the page.
        while out.count < limit {
            var candidates: [UInt64] = []
            do throws(LMDBResult) {
                let c = try txn.cursor(txn.dbs.categories)
                defer { c.close() }
                for category in categories.sorted() {
                    var prefix = Array(category.utf8)
                    prefix.append(0)
                    var taken = 0
                    var entry = try c.seek(LMDBKeys.category(category, position: next))
                    while let (k, _) = entry, taken < limit {
                        guard k.mv_size == prefix.count + 8,
                              prefix.withUnsafeBytes({ memcmp($0.baseAddress!, k.mv_data, prefix.count) == 0 }) else { break }
                        candidates.append(LMDBKeys.trailingUInt64(k))
                        taken += 1
                        entry = try c.get(MDB_NEXT)
                    }
                }
            } catch {
                throw error.storeError
            }
            if candidates.isEmpty { break }
            candidates.sort()
            let round = candidates.prefix(limit)
            for p in round {
                guard let r = try txn.record(at: p) else {
                    throw EventStoreError.storage("category index points at missing position \(p)")
                }
                if filter.matches(r) {
                    out.append(r)
                    if out.count == limit { break }
                }
            }
            next = round.last! + 1
        }
        return out
    }

    public func readStoredRecords(from position: UInt64, limit: Int) async throws(EventStoreError) -> [StoredRecord] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try environment.withReadTransaction { (raw) throws(EventStoreError) -> [StoredRecord] in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            var out: [StoredRecord] = []
            do throws(LMDBResult) {
                let c = try txn.cursor(txn.dbs.events)
                defer { c.close() }
                var entry = try c.seek(LMDBKeys.position(max(1, position)))
                while let (k, v) = entry, out.count < limit {
                    guard k.mv_size == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading an events key of \(k.mv_size) bytes") }
                    out.append(StoredRecord(position: LMDBKeys.trailingUInt64(k), bytes: Array(LMDBKeys.buffer(v))))
                    entry = try c.get(MDB_NEXT)
                }
            } catch {
                throw error.storeError
            }
            return out
        }
    }

    /// Counts events, streams and categories, and reads the head.
    public func statistics() throws(EventStoreError) -> StoreStatistics {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> StoreStatistics in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            do throws(LMDBResult) {
                var stat = MDB_stat()
                try LMDBResult.check(mdb_stat(raw, txn.dbs.heads, &stat), "mdb_stat(heads)")
                let streams = UInt64(stat.ms_entries)
                try LMDBResult.check(mdb_stat(raw, txn.dbs.events, &stat), "mdb_stat(events)")
                let events = UInt64(stat.ms_entries)
                // Distinct categories: jump from one category prefix to the next.
                var categories: UInt64 = 0
                let c = try txn.cursor(txn.dbs.categories)
                defer { c.close() }
                var entry = try c.get(MDB_FIRST)
                while let (k, _) = entry {
                    categories += 1
                    var prefix = Array(LMDBKeys.buffer(k).prefix(Int(k.mv_size) - 9))
                    prefix.append(1)
                    entry = try c.seek(prefix)
                }
                let (head, hash) = try txn.head()
                return StoreStatistics(events: events, streams: streams, categories: categories, bytesOnDisk: environment.bytesOnDisk,
                                       headPosition: head, headHash: head == 0 ? "" : hash.hex)
            } catch {
                throw error.storeError
            }
        }
    }

    public func headPosition() async throws(EventStoreError) -> UInt64 {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> UInt64 in
            do throws(LMDBResult) {
                return try LMDBTransaction(txn: raw, dbs: environment.dbs).head().0
            } catch {
                throw error.storeError
            }
        }
    }

    public func streamVersion(_ stream: StreamName) async throws(EventStoreError) -> UInt64 {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> UInt64 in
            try LMDBTransaction(txn: raw, dbs: environment.dbs).streamVersion(stream.value)
        }
    }

    public func sync() async throws(EventStoreError) {
        try environment.sync()
    }

    /// How long a subscriber waits before re-reading the head, to notice
    /// commits made by another process (commits of this process wake it at once).
    static let crossProcessRecheck: Duration = .seconds(1)

    public func waitForHead(beyond position: UInt64) async throws(EventStoreError) -> UInt64? {
        guard environment.isOpen else { throw EventStoreError.storeClosed }
        guard await notifier.wait(beyond: position, timeout: Self.crossProcessRecheck) != nil else { return nil }
        return try await headPosition()
    }

    public func close() async {
        writer.stop()
        notifier.close()
        environment.close()
    }

    deinit {
        writer.stop()
        notifier.close()
        environment.close()
    }

    public func loadProjection(slot: String) async throws(EventStoreError) -> StoredProjection? {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> StoredProjection? in
            try LMDBTransaction(txn: raw, dbs: environment.dbs).storedProjection(slot)
        }
    }

    public func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> AggregateSnapshot? in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            do throws(LMDBResult) {
                guard let v = try txn.get(txn.dbs.snapshots, Array(stream.utf8)) else { return nil }
                let bytes = LMDBKeys.buffer(v)
                guard bytes.count >= 10 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading snapshot of \(stream)") }
                let version = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
                let schema = UInt16(bytes[8]) << 8 | UInt16(bytes[9])
                return AggregateSnapshot(version: version, schemaVersion: schema, state: Array(bytes[10...]))
            } catch {
                throw error.storeError
            }
        }
    }

    public func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
        guard !writes.isEmpty else { return }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>) in
            if !writer.enqueue(.readModels(writes, continuation)) {
                continuation.resume(returning: .failure(.storeClosed))
            }
        }
        _ = try result.get()
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> [String] in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            var names: [String] = []
            do throws(LMDBResult) {
                let c = try txn.cursor(txn.dbs.projections)
                defer { c.close() }
                var entry = try c.get(MDB_FIRST)
                while let (k, _) = entry {
                    names.append(String(decoding: LMDBKeys.buffer(k), as: UTF8.self))
                    entry = try c.get(MDB_NEXT)
                }
            } catch {
                throw error.storeError
            }
            return names
        }
    }
}
