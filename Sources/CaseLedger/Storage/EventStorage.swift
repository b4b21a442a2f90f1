import Foundation

/// Where an event log keeps its bytes: the interface a backend implements.
///
/// A backend supplies storage and transactions, nothing else. The engine
/// (``EventLog``) does every step of the log once for every backend:
/// validation, expected versions and idempotency, group commit, positions
/// and the hash chain, inline projections, waking subscribers, metrics and
/// logs. The backends in this package (``InMemoryStorage``, `LMDBStorage`,
/// `PostgresStorage`) implement this protocol and nothing more, and
/// `CaseLedgerTestKit`'s conformance suites prove a backend right:
///
/// ```swift
/// let store = EventLog(storage: MyStorage())
/// @Test(arguments: EventStoreConformance.cases)
/// func conformance(_ check: ConformanceCase) async throws {
///     try await check.run { options in EventLog(storage: MyStorage(), options: options) }
/// }
/// ```
///
/// ## What is stored
/// - **Records**: each record's stored value (``RecordView/stored``: canonical
///   bytes and hash) under its position. Backends never interpret them beyond
///   the fields ``RecordView`` offers for keys.
/// - **Indexes** (``StorageIndex``): for each record, its stream and
///   version → position, its event id → position, its category and position;
///   and each stream's last version. They answer the lookups below, and
///   ``scanIndex(_:_:)`` hands them to verification entry by entry.
/// - **Read models**: projection slots (checkpoint and state), the rows of
///   their tables (by slot, table and key, kept in the order of the keys'
///   UTF-8 bytes) and aggregate snapshots (``ReadModelWrite``).
///
/// ## Implementation requirements
/// - Every read method sees one consistent snapshot of committed data.
/// - ``write(_:)`` runs `body` in one transaction that commits when `body`
///   returns and is abandoned (nothing written) when it throws; errors from
///   `body` are rethrown unchanged. Transactions of one storage never overlap:
///   the engine calls ``write(_:)`` from one task at a time. A backend may run
///   `body` again from the start after a transient failure of its own (a full
///   LMDB map that it grew); `body` is written for that.
/// - A failed commit writes nothing and is never rolled back twice; a full
///   disk is ``EventStoreError/Code/noSpace``, damaged data
///   ``EventStoreError/Code/corrupted``, anything else of the engine
///   ``EventStoreError/Code/storage``, with the engine's own code in
///   ``EventStoreError/engineCode``.
/// - Commits are in position order across every process sharing the storage:
///   a reader that sees position `p` sees every position below it.
/// - Scans hand over the stored bytes as kept, valid only during the visit.
public protocol EventStorage: Sendable {
    /// The backend's write transaction.
    associatedtype Transaction: EventStorageTransaction

    /// A short name for metrics and logs: `memory`, `lmdb`, `postgres`.
    var name: String { get }

    // MARK: Reads

    /// The last record's position and hash (``LogHead/empty`` for an empty log).
    func head() async throws(EventStoreError) -> LogHead

    /// A stream's last version, 0 when the stream does not exist.
    func streamVersion(_ stream: String) async throws(EventStoreError) -> UInt64

    /// Visits stored records in position order, from `position` through
    /// `last`, until `visit` returns `false`.
    ///
    /// - Parameters:
    ///   - position: the first position to visit.
    ///   - last: the last position to visit.
    ///   - category: when given, only that category's records (through its
    ///     index); when `nil`, every record.
    ///   - visit: receives the position the record is stored under and its
    ///     stored value; its errors are rethrown.
    nonisolated(nonsending) func scanLog(
        from position: UInt64, through last: UInt64, category: String?,
        _ visit: (_ position: UInt64, _ stored: UnsafeRawBufferPointer) throws -> Bool
    ) async throws

    /// Visits a stream's records through the stream index, from `version`
    /// on, forward or backward, until `visit` returns `false`.
    ///
    /// - Parameters:
    ///   - stream: the stream's name.
    ///   - version: the first version to visit (the last one backward).
    ///   - direction: forward or backward.
    ///   - visit: receives the version and position the index
    ///   promises and the stored value found at that position; the engine
    ///   checks they agree. A position the index names but the log lacks is
    ///   ``EventStoreError/Code/corrupted``.
    nonisolated(nonsending) func scanStream(
        _ stream: String, from version: UInt64, direction: ReadDirection,
        _ visit: (_ version: UInt64, _ position: UInt64, _ stored: UnsafeRawBufferPointer) throws -> Bool
    ) async throws

    /// Visits every entry of an index, in any order, each with the record
    /// stored at the position it names, until `visit` returns `false`: what
    /// ``LogVerifier`` checks against the log.
    ///
    /// - Parameters:
    ///   - index: the index to walk.
    ///   - visit: receives the entry and the stored value at its
    ///   position (`nil` when the log holds none there, or for
    ///   ``StorageIndex/heads``, which names no position). An entry that
    ///   cannot be read (a malformed key or value) is
    ///   ``EventStoreError/Code/corrupted``, naming the index.
    nonisolated(nonsending) func scanIndex(
        _ index: StorageIndex, _ visit: (_ entry: IndexEntry, _ stored: UnsafeRawBufferPointer?) throws -> Bool
    ) async throws

    /// The state saved in a projection slot with every row of the named
    /// tables, all read in one snapshot, or `nil` when the slot is empty.
    func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection?

    /// The rows of a slot's table in `range`, in the order of their keys'
    /// UTF-8 bytes, at most `range.limit`.
    func rows(_ slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow]

    /// Every projection slot's name, sorted.
    func projectionSlots() async throws(EventStoreError) -> [String]

    /// The snapshot saved for a stream, or `nil`.
    func snapshot(_ stream: String) async throws(EventStoreError) -> AggregateSnapshot?

    /// Counts of what is stored.
    func statistics() async throws(EventStoreError) -> StoreStatistics

    // MARK: Writes

    /// Where the engine runs its writer; `nil` (the default) for anywhere.
    ///
    /// A backend whose transactions belong to one thread (LMDB) returns an
    /// executor on that thread, and ``write(_:)`` runs there.
    var writeExecutor: (any TaskExecutor)? { get }

    /// Runs `body` in a write transaction that commits when it returns.
    nonisolated(nonsending) func write<T>(_ body: (inout Transaction) async throws -> T) async throws -> T

    /// Makes every committed transaction durable (a no-op when each commit is).
    func sync() async throws(EventStoreError)

    // MARK: Other processes

    /// How often the engine re-reads the head to notice commits made by other
    /// processes while a subscriber waits; `nil` when ``watchCommits(_:)``
    /// reports them all (or no other process can commit).
    var commitRecheckInterval: Duration? { get }

    /// Starts reporting commits made by other processes (the new head
    /// position) until ``close()``. The default reports nothing.
    func watchCommits(_ onCommit: @escaping @Sendable (UInt64) -> Void)

    /// Releases the storage. Later calls fail with
    /// ``EventStoreError/Code/storeClosed``.
    func close() async
}

extension EventStorage {
    public var writeExecutor: (any TaskExecutor)? { nil }
    public var commitRecheckInterval: Duration? { .seconds(1) }
    public func watchCommits(_ onCommit: @escaping @Sendable (UInt64) -> Void) {}
    public func sync() async throws(EventStoreError) {}
}

/// A write transaction of an ``EventStorage``, used by one task inside
/// ``EventStorage/write(_:)`` and never kept beyond it.
///
/// Lookups take batches so that a networked backend answers each in one
/// round trip. Reads see the transaction's own writes.
public protocol EventStorageTransaction {
    /// The last record's position and hash.
    func head() async throws(EventStoreError) -> LogHead

    /// The last versions of these streams; a stream that does not exist is
    /// left out (version 0).
    func streamVersions(_ streams: [String]) async throws(EventStoreError) -> [String: UInt64]

    /// The positions of the stored events with these ids; unknown ids are left out.
    func positions(ofEventIDs ids: [UUID]) async throws(EventStoreError) -> [UUID: UInt64]

    /// Visits the stored records at these positions (in the order given);
    /// a missing position is ``EventStoreError/Code/corrupted``.
    nonisolated(nonsending) func scanRecords(at positions: [UInt64], _ visit: (_ position: UInt64, _ stored: UnsafeRawBufferPointer) throws -> Void) async throws

    /// Visits stored records from `position` through `last` in position order.
    nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, _ visit: (_ position: UInt64, _ stored: UnsafeRawBufferPointer) throws -> Void) async throws

    /// The state saved in a projection slot with every row of the named
    /// tables, or `nil` when the slot is empty.
    func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection?

    /// Writes a batch of records that follows the head: each stored value
    /// under its position, its index entries (stream and version, event id,
    /// category), and ``RecordBatch/streamVersions``.
    ///
    /// - Returns: ``InsertOutcome/eventIDExists(_:)`` when an event id of the
    ///   batch is already stored; the engine then abandons the transaction
    ///   (by throwing from the body) and decides the appends again, looking
    ///   the ids up first.
    mutating func insert(_ batch: RecordBatch) async throws(EventStoreError) -> InsertOutcome

    /// Applies read-model writes, in order.
    mutating func apply(_ writes: [ReadModelWrite]) async throws(EventStoreError)
}

/// What ``EventStorageTransaction/insert(_:)`` did.
public enum InsertOutcome: Hashable, Sendable {
    /// Every record and index entry is written.
    case inserted
    /// This event id is already stored; the transaction must not commit.
    case eventIDExists(UUID)
}

/// The log's last record: its position and audit hash.
public struct LogHead: Hashable, Sendable {
    /// The head position, 0 for an empty log.
    public var position: UInt64
    /// The head record's hash; ``AuditHash/genesis`` for an empty log.
    public var hash: AuditHash

    /// Creates a head.
    public init(position: UInt64, hash: AuditHash) {
        self.position = position
        self.hash = hash
    }

    /// The head of an empty log.
    public static let empty = LogHead(position: 0, hash: .genesis)
}
