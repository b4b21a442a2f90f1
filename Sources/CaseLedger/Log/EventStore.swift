import Tracing
/// An append-only, totally ordered log of events in streams: what
/// application code depends on.
///
/// ``EventLog`` is the implementation, over any ``EventStorage`` backend
/// (``InMemoryEventStore``, `LMDBEventStore`, `PostgresEventStore` are
/// `EventLog`s). A store is passed to the code that uses it; there is no
/// global store.
///
/// ## Guarantees
/// - Positions start at 1, are contiguous, and a reader never sees position
///   `n + 1` before position `n`.
/// - ``append(_:)`` is atomic over all its parts: it writes everything or
///   nothing, and a failed append writes nothing.
/// - Appending again events whose ids are all stored with the same content
///   returns the original positions and writes nothing.
/// - Every record carries its audit hash, computed in the append's transaction.
/// - Errors are ``EventStoreError``s.
///
/// ```swift
/// let store = InMemoryEventStore()
/// let stream = try StreamName("ticket-2025-00017")
/// let result = try await store.append(
///     [EventData(type: "TicketFiled", payload: Array("{}".utf8))],
///     to: stream, expectedVersion: .noStream
/// )
/// let events = try await store.readStream(stream)
/// print(result.positions, events.count) // [1] 1
/// ```
public protocol EventStore: Sendable {
    /// Appends to one or more streams in one atomic transaction.
    ///
    /// - Parameter appends: the parts, applied in order; each part's expected
    ///   version is checked against the stream as left by the parts before it.
    /// - Returns: one result per part.
    /// - Throws: ``EventStoreError``: wrong expected version, event id reused,
    ///   empty batch, payload too large, store closed, storage failure.
    func append(_ appends: [StreamAppend]) async throws(EventStoreError) -> [AppendResult]

    /// Appends many parts in one transaction of their own, fed in batches:
    /// every event lands, or none does (imports, migrations). The log must
    /// end at `expectingHead` when it is given. `batches` may be called again
    /// for a fresh sequence when the storage runs the transaction again.
    func appendAll(expectingHead: LogHead?,
                   _ batches: @escaping @Sendable () -> AsyncThrowingStream<[StreamAppend], any Error>) async throws(EventStoreError) -> BulkAppendResult

    /// Reads a stream's events.
    ///
    /// - Parameters:
    ///   - stream: the stream.
    ///   - version: the first version to return; `nil` starts at the first
    ///     version (forward) or the last (backward).
    ///   - direction: forward or backward.
    ///   - limit: the most events to return, at least 1.
    /// - Returns: the events, empty when the stream does not exist.
    func readStream(_ stream: StreamName, from version: UInt64?, direction: ReadDirection, limit: Int) async throws(EventStoreError) -> [RecordedEvent]

    /// Reads the log forward.
    ///
    /// - Parameters:
    ///   - position: the first position to consider (1 is the start).
    ///   - filter: which events to return.
    ///   - limit: the most events to return, at least 1.
    /// - Complexity: with a category filter, proportional to the matching
    ///   events; otherwise to the events scanned.
    func readAll(from position: UInt64, filter: EventFilter, limit: Int) async throws(EventStoreError) -> [RecordedEvent]

    /// Visits stored records in place, in position order, from `position`
    /// through `last`, until `visit` returns `false`: the fast way to read
    /// the log (nothing is copied or decoded until `visit` asks).
    ///
    /// Without a category every record is visited and a missing position is
    /// ``EventStoreError/Code/corrupted``; with one, only that category's
    /// records. Errors thrown by `visit` are rethrown.
    nonisolated(nonsending) func scanRecords(from position: UInt64, through last: UInt64, category: String?,
                                             _ visit: (RecordView) throws -> Bool) async throws

    /// Visits a stream's stored records in place, from `version` on, until
    /// `visit` returns `false`. A record that is not the one the stream index
    /// promises (another stream, another version) is
    /// ``EventStoreError/Code/corrupted``, never returned.
    nonisolated(nonsending) func scanStream(_ stream: StreamName, from version: UInt64, direction: ReadDirection,
                                            _ visit: (RecordView) throws -> Bool) async throws

    /// Visits every entry of one of the storage's indexes, in any order,
    /// each with the record stored at the position it names (`nil` when the
    /// log holds none there, or for ``StorageIndex/heads``), until `visit`
    /// returns `false`: what ``LogVerifier`` checks.
    nonisolated(nonsending) func scanIndex(_ index: StorageIndex, _ visit: (IndexEntry, RecordView?) throws -> Bool) async throws

    /// The position and hash of the last event (``LogHead/empty`` for an empty log).
    func head() async throws(EventStoreError) -> LogHead

    /// A stream's current version, 0 when it does not exist.
    func streamVersion(_ stream: StreamName) async throws(EventStoreError) -> UInt64

    /// Counts of what is stored.
    func statistics() async throws(EventStoreError) -> StoreStatistics

    /// Waits until the head position passes `position`.
    ///
    /// Returns the new head; may return earlier with the head unchanged (a
    /// backend that cannot see another process's commits re-checks now and
    /// then), and returns `nil` once the store is closed. Subscriptions are
    /// built on it; waiters are woken at each commit, without polling.
    func waitForHead(beyond position: UInt64) async throws(EventStoreError) -> UInt64?

    /// Makes every committed append durable (a no-op for stores that always are).
    func sync() async throws(EventStoreError)

    /// Closes the store. Later calls throw ``EventStoreError/Code/storeClosed``.
    func close() async

    /// Where the store and what runs over it (aggregates, projections)
    /// send spans; `nil` (the default) for none.
    var tracer: (any Tracer)? { get }
}

extension EventStore {
    public var tracer: (any Tracer)? { nil }

    /// The position of the last event, 0 for an empty log.
    public func headPosition() async throws(EventStoreError) -> UInt64 {
        try await head().position
    }
}
