import Foundation
import Logging
import Tracing

/// The event log: every rule and step of the log, once, over any
/// ``EventStorage`` backend.
///
/// Appends are validated, queued and committed in groups by one writer
/// (group commit: one transaction, one sync to disk, for every append that
/// waits); each append is planned on its own (expected version, idempotency,
/// positions, the hash chain) and fails alone. Inline projections fold inside
/// the same transaction. Subscribers are woken after each commit; metrics and
/// logs are reported here. Reads parse stored bytes with the one record
/// parser and check that what an index promises is what is stored.
///
/// The stores of this package are `EventLog`s over their storage:
/// ``InMemoryEventStore``, `LMDBEventStore`, `PostgresEventStore`.
///
/// ```swift
/// let store = EventLog(storage: InMemoryStorage())
/// let stream = try StreamName("ticket-2025-00017")
/// _ = try await store.append([EventData(type: "TicketFiled", payload: [])], to: stream)
/// print(try await store.headPosition()) // 1
/// ```
public final class EventLog<Storage: EventStorage>: ReadModelStore {
    /// The backend.
    public let storage: Storage
    let options: EventStoreOptions
    let metrics: StoreMetrics
    let notifier = HeadNotifier()
    private let writer: LogWriter<Storage>
    private let closed = Locked(false)

    /// Creates the log over a storage.
    ///
    /// - Parameters:
    ///   - storage: the backend, opened.
    ///   - options: limits, logger, metrics and clock.
    ///   - inlineProjections: projections folded in each append's transaction.
    public init(storage: Storage, options: EventStoreOptions = EventStoreOptions(), inlineProjections: InlineProjections? = nil) {
        self.storage = storage
        self.options = options
        let metrics = StoreMetrics(backend: storage.name, factory: options.metricsFactory)
        self.metrics = metrics
        let notifier = self.notifier
        self.writer = LogWriter(storage: storage, options: options, metrics: metrics,
                                inline: inlineProjections.map(InlineFold.init)) { head in notifier.advance(to: head) }
        storage.watchCommits { head in notifier.advance(to: head) }
    }

    func checkOpen() throws(EventStoreError) {
        if closed.withLock({ $0 }) { throw EventStoreError.storeClosed }
    }

    // MARK: Appends

    public func append(_ appends: [StreamAppend]) async throws(EventStoreError) -> [AppendResult] {
        do throws(EventStoreError) {
            try checkOpen()
            try AppendPlanner.validate(appends, maximumPayloadSize: options.maximumPayloadSize)
        } catch {
            metrics.failures.increment()
            throw error
        }
        let count = appends.reduce(0) { $0 + $1.events.count }
        return try await withOptionalSpan(options.tracer, "caseledger.append", attributes: {
            $0["caseledger.streams"] = appends.count
            $0["caseledger.events"] = count
        }) { () async throws(EventStoreError) -> [AppendResult] in
            try await writer.submit(.append(appends, events: count)).get()
        }
    }

    public var tracer: (any Tracer)? { options.tracer }

    /// Appends many parts in one transaction of their own, fed in batches so
    /// that memory stays bounded: every event lands, or none does. For
    /// imports and migrations.
    ///
    /// ```swift
    /// let result = try await store.appendAll(expectingHead: fileHead) {
    ///     AsyncThrowingStream { continuation in
    ///         for batch in batches { continuation.yield(batch) }
    ///         continuation.finish()
    ///     }
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - expectingHead: when given, the position and hash the log must end
    ///     at; otherwise nothing is written (an import checks that it
    ///     reproduced its source exactly).
    ///   - batches: makes the batches, in order. It may be called again, for
    ///     a fresh sequence, when the storage runs the transaction again
    ///     (LMDB after growing a full map).
    /// - Throws: ``EventStoreError``: any append rule a batch breaks, the
    ///   error the sequence throws (a store error as it is, anything else as
    ///   a storage failure), storage failures; nothing is written then.
    public func appendAll(expectingHead: LogHead? = nil,
                          _ batches: @escaping @Sendable () -> AsyncThrowingStream<[StreamAppend], any Error>) async throws(EventStoreError) -> BulkAppendResult {
        try checkOpen()
        let results = try await writer.submit(.bulk(BulkAppend(batches: batches, expectingHead: expectingHead))).get()
        let positions = results.first?.positions ?? []
        guard positions.count == 2 else { return BulkAppendResult(events: 0, firstPosition: nil, lastPosition: nil) }
        return BulkAppendResult(events: positions[1] - positions[0] + 1, firstPosition: positions[0], lastPosition: positions[1])
    }

    public func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
        try checkOpen()
        guard !writes.isEmpty else { return }
        _ = try await writer.submit(.readModels(writes)).get()
    }

    // MARK: Reads

    public func head() async throws(EventStoreError) -> LogHead {
        try await whileOpen { () async throws(EventStoreError) in try await storage.head() }
    }

    public func streamVersion(_ stream: StreamName) async throws(EventStoreError) -> UInt64 {
        try await whileOpen { () async throws(EventStoreError) in try await storage.streamVersion(stream.value) }
    }

    public func statistics() async throws(EventStoreError) -> StoreStatistics {
        try await whileOpen { () async throws(EventStoreError) in try await storage.statistics() }
    }

    public nonisolated(nonsending) func scanRecords(from position: UInt64, through last: UInt64, category: String?,
                                                    _ visit: (RecordView) throws -> Bool) async throws {
        try checkOpen()
        let start = max(1, position)
        guard start <= last else { return }
        var expected = start
        let categoryBytes = category.map { Array($0.utf8) }
        try await storage.scanLog(from: start, through: last, category: category) { key, stored in
            if let categoryBytes {
                // Through the category index: each record must be of it, in position order.
                let view = try Self.view(stored, storedAt: key)
                guard key >= expected, categoryBytes.withUnsafeBytes({ $0.bytesEqual(view.categoryBytes) }) else {
                    throw EventStoreError.corrupted(
                        "the categories index lists position \(key) under \(category ?? ""), but that record is of \(view.category)" +
                            (key < expected ? " or out of order" : ""),
                        position: key)
                }
                expected = key + 1
                return try visit(view)
            }
            if key != expected {
                throw EventStoreError.corrupted(
                    key > expected ? "position \(expected) is missing (the next stored record is \(key))" : "position \(key) is out of order",
                    position: expected)
            }
            let view = try Self.view(stored, storedAt: key)
            expected = key + 1
            return try visit(view)
        }
    }

    public nonisolated(nonsending) func scanStream(_ stream: StreamName, from version: UInt64, direction: ReadDirection,
                                                   _ visit: (RecordView) throws -> Bool) async throws {
        try checkOpen()
        let name = stream.value
        let nameBytes = Array(name.utf8)
        var previous: UInt64?
        try await storage.scanStream(name, from: version, direction: direction) { indexedVersion, position, stored in
            let view = try Self.view(stored, storedAt: position)
            let next = previous.map { direction == .forward ? $0 + 1 : $0 - 1 }
            guard view.streamVersion == indexedVersion, next == nil || indexedVersion == next,
                  nameBytes.withUnsafeBytes({ $0.bytesEqual(view.streamBytes) }) else {
                throw EventStoreError.corrupted(
                    "the stream index promises \(name) version \(next ?? indexedVersion) at position \(position), but that position holds \(view.streamName) version \(view.streamVersion)",
                    position: position)
            }
            previous = indexedVersion
            return try visit(view)
        }
    }

    public nonisolated(nonsending) func scanIndex(_ index: StorageIndex, _ visit: (IndexEntry, RecordView?) throws -> Bool) async throws {
        try checkOpen()
        try await storage.scanIndex(index) { entry, stored in
            guard let stored, let position = entry.position else { return try visit(entry, nil) }
            return try visit(entry, try Self.view(stored, storedAt: position))
        }
    }

    /// Parses a stored value, checking it is stored under its own position.
    static func view(_ stored: UnsafeRawBufferPointer, storedAt key: UInt64) throws(EventStoreError) -> RecordView {
        let view: RecordView
        do throws(RecordFormatError) {
            view = try RecordView(stored: stored)
        } catch {
            throw EventStoreError.corrupted("the record stored at position \(key) does not parse: \(error.message)", position: key)
        }
        guard view.position == key else {
            throw EventStoreError.corrupted("the record stored at position \(key) says it is position \(view.position)", position: key)
        }
        return view
    }

    public func readStream(_ stream: StreamName, from version: UInt64?, direction: ReadDirection, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        let start = direction == .forward ? max(1, version ?? 1) : (version ?? .max)
        guard start >= 1 else { return [] }
        var out: [RecordedEvent] = []
        try await storeErrors {
            try await scanStream(stream, from: start, direction: direction) { view in
                out.append(try Self.materialize(view))
                return out.count < limit
            }
        }
        return out
    }

    public func readAll(from position: UInt64, filter: EventFilter, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        let types = filter.eventTypes.map { Set($0.map { Array($0.utf8) }) }
        var out: [RecordedEvent] = []
        let categories: [String?] = filter.categories.map { $0.sorted() } ?? [nil]
        try await storeErrors {
            // One scan per category (through its index), merged by position.
            for category in categories {
                var taken = 0
                try await scanRecords(from: position, through: .max, category: category) { view in
                    if let types, !types.contains(Array(view.typeBytes)) { return true }
                    out.append(try Self.materialize(view))
                    taken += 1
                    return taken < limit
                }
            }
        }
        if categories.count > 1 {
            out.sort { $0.position < $1.position }
            if out.count > limit { out.removeLast(out.count - limit) }
        }
        return out
    }

    static func materialize(_ view: RecordView) throws(EventStoreError) -> RecordedEvent {
        do throws(RecordFormatError) {
            return try view.materialize()
        } catch {
            throw EventStoreError.corrupted("position \(view.position): \(error.message)", position: view.position)
        }
    }

    /// Runs a scan whose visitor throws only ``EventStoreError``.
    /// Runs a read, its failures as store errors; a read cut off because the
    /// store closed meanwhile is ``EventStoreError/Code/storeClosed``.
    func storeErrors(_ body: () async throws -> Void) async throws(EventStoreError) {
        do {
            try await body()
        } catch {
            if closed.withLock({ $0 }) { throw EventStoreError.storeClosed }
            throw EventStoreError.wrapping(error)
        }
    }

    /// Runs a storage call on an open store; a call cut off because the
    /// store closed meanwhile is ``EventStoreError/Code/storeClosed`` (a
    /// subscriber or reader racing `close()` sees that, not the storage's
    /// own failure, such as a connection pool that shut down).
    func whileOpen<T>(_ body: () async throws(EventStoreError) -> T) async throws(EventStoreError) -> T {
        try checkOpen()
        do {
            return try await body()
        } catch {
            if closed.withLock({ $0 }) { throw EventStoreError.storeClosed }
            throw error
        }
    }

    // MARK: Read models

    public func loadProjection(slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
        try await whileOpen { () async throws(EventStoreError) in try await storage.projection(slot, tables: tables) }
    }

    public func loadRows(slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow] {
        guard range.limit > 0 else { return [] }
        return try await whileOpen { () async throws(EventStoreError) in try await storage.rows(slot, table: table, range) }
    }

    public func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        try await whileOpen { () async throws(EventStoreError) in try await storage.snapshot(stream) }
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        try await whileOpen { () async throws(EventStoreError) in try await storage.projectionSlots() }
    }

    // MARK: Waiting, syncing, closing

    public func waitForHead(beyond position: UInt64) async throws(EventStoreError) -> UInt64? {
        do {
            let head = try await whileOpen { () async throws(EventStoreError) in try await storage.head().position }
            if head > position { return head }
            guard await notifier.wait(beyond: position, timeout: storage.commitRecheckInterval) != nil else { return nil }
            return try await whileOpen { () async throws(EventStoreError) in try await storage.head().position }
        } catch where error.code == .storeClosed {
            return nil
        }
    }

    public func sync() async throws(EventStoreError) {
        try checkOpen()
        try await storage.sync()
    }

    /// Finishes the queued appends, wakes every waiter and closes the storage.
    public func close() async {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        await writer.stop()
        notifier.close()
        await storage.close()
        options.logger.debug("closed event log", metadata: ["backend": "\(storage.name)"])
    }
}
