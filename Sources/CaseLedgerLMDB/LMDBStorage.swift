import CLMDB
import CaseLedger
import Foundation
import Logging

/// The embedded, durable storage: one LMDB environment on local disk.
///
/// Reads run in read-only transactions on the caller's thread; every write
/// transaction runs on the store's writer thread (``writeExecutor``), where
/// the event log commits the appends of concurrent callers together. Several
/// processes may open the same directory and append at once: LMDB's writer
/// lock serializes their transactions, and positions are taken from the log
/// inside the transaction, so they stay contiguous and unique. A full map
/// grows and the transaction runs again; callers never see `MDB_MAP_FULL`.
///
/// ```swift
/// let store = try LMDBEventStore(path: "./caseledger-data")   // an EventLog<LMDBStorage>
/// print(store.storage.path, store.storage.bytesOnDisk)
/// ```
///
/// | database | key | value |
/// | --- | --- | --- |
/// | events | position, UInt64 big-endian | stored record |
/// | streams | stream name, 0x00, version (BE) | position (BE) |
/// | heads | stream name | version (BE) |
/// | eventIDs | event id (16 bytes) | position (BE) |
/// | categories | category, 0x00, position (BE) | empty |
/// | projections | slot name | checkpoint (BE), state |
/// | rows | slot, 0x00, table, 0x00, key | row value |
/// | snapshots | stream name | version (BE), schema version (BE, 2 bytes), state |
public final class LMDBStorage: EventStorage {
    let environment: LMDBEnvironment
    private let writer: LMDBWriterThread
    private let configuration: LMDBConfiguration
    /// Reports other processes' commits once ``watchCommits(_:)`` started it.
    private let watcher = Locked<LMDBCommitWatcher?>(nil)

    /// Opens (or creates, with ``LMDBAccess/create``) the environment
    /// described by `configuration`. The data file is checked before it is
    /// mapped: a missing, empty, truncated or foreign file is an error that
    /// names the store, and nothing is created in its place.
    ///
    /// - Throws: ``EventStoreError``: `invalidArgument` when there is no
    ///   store and the access does not create one, `corrupted` for a damaged
    ///   file, `storage` when LMDB refuses to open it.
    public init(configuration: LMDBConfiguration) throws(EventStoreError) {
        self.configuration = configuration
        self.environment = try LMDBEnvironment(
            path: configuration.path,
            access: configuration.access,
            durability: configuration.durability,
            initialMapSize: configuration.initialMapSize
        )
        self.writer = LMDBWriterThread(name: "caseledger-lmdb-writer")
        configuration.options.logger.debug("opened LMDB store", metadata: ["path": "\(configuration.path)"])
    }

    deinit {
        // Closed without close(): end the watching thread (without waiting,
        // since this may run on it).
        watcher.withLock { $0 }?.signalStop()
    }

    public var name: String { "lmdb" }

    /// The directory of the environment.
    public var path: String { configuration.path }

    /// The size of the data file in bytes.
    public var bytesOnDisk: UInt64 { environment.bytesOnDisk }

    /// The current LMDB map size in bytes.
    public var mapSize: Int { environment.mapSize }

    public var writeExecutor: (any TaskExecutor)? { writer }

    // MARK: Reads

    /// Runs `body` in a read-only transaction, turning LMDB's failures into store errors.
    private func read<T>(_ body: (LMDBTransaction) throws(LMDBResult) -> T) throws(EventStoreError) -> T {
        try environment.withReadTransaction { (raw) throws(EventStoreError) -> T in
            do throws(LMDBResult) {
                return try body(LMDBTransaction(txn: raw, dbs: environment.dbs))
            } catch {
                throw error.storeError
            }
        }
    }

    public func head() async throws(EventStoreError) -> LogHead {
        try read { (txn) throws(LMDBResult) in try txn.head() }
    }

    public func streamVersion(_ stream: String) async throws(EventStoreError) -> UInt64 {
        try read { (txn) throws(LMDBResult) in try txn.streamVersion(stream) }
    }

    public nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, category: String?,
                                                _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Bool) async throws {
        let start = max(1, position)
        guard start <= last else { return }
        var failure: (any Error)?
        // Hands a record to `visit`; false to stop (it said so, or threw).
        func pass(_ p: UInt64, _ record: UnsafeRawBufferPointer) -> Bool {
            do { return try visit(p, record) } catch { failure = error; return false }
        }
        try read { (txn) throws(LMDBResult) in
            if let category {
                // The category's index in position order, each record looked up.
                let key = LMDBKeys.category(category, position: start)
                try txn.withCursor(txn.dbs.categories) { (c) throws(LMDBResult) in
                    var entry = try c.seek(key)
                    while let (k, _) = entry, Self.hasPrefix(k, of: key) {
                        let p = LMDBKeys.trailingUInt64(k)
                        if p > last { return }
                        guard let record = try txn.storedRecord(at: p) else {
                            throw LMDBResult(code: MDB_CORRUPTED, operation: "the categories index names position \(p), which the log lacks")
                        }
                        guard pass(p, record) else { return }
                        entry = try c.get(MDB_NEXT)
                    }
                }
            } else {
                try txn.withCursor(txn.dbs.events) { (c) throws(LMDBResult) in
                    var entry = try c.seek(LMDBKeys.position(start))
                    while let (k, v) = entry {
                        guard k.mv_size == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading an events key of \(k.mv_size) bytes") }
                        let p = LMDBKeys.trailingUInt64(k)
                        guard p <= last, pass(p, LMDBKeys.buffer(v)) else { return }
                        entry = try c.get(MDB_NEXT)
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    public nonisolated(nonsending) func scanStream(_ stream: String, from version: UInt64, direction: ReadDirection,
                                                   _ visit: (UInt64, UInt64, UnsafeRawBufferPointer) throws -> Bool) async throws {
        guard version >= 1 else { return }
        let key = LMDBKeys.stream(stream, version: version)
        var failure: (any Error)?
        try read { (txn) throws(LMDBResult) in
            try txn.withCursor(txn.dbs.streams) { (c) throws(LMDBResult) in
                var entry: (MDB_val, MDB_val)?
                switch direction {
                case .forward:
                    entry = try c.seek(key)
                case .backward:
                    // The entry at `version`, or the one before where it would be.
                    if let found = try c.seek(key) {
                        entry = Self.hasPrefix(found.0, of: key) && LMDBKeys.trailingUInt64(found.0) == version ? found : try c.get(MDB_PREV)
                    } else {
                        entry = try c.get(MDB_LAST)
                    }
                }
                while let (k, v) = entry, Self.hasPrefix(k, of: key) {
                    guard v.mv_size == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading a streams value of \(v.mv_size) bytes") }
                    let p = LMDBKeys.trailingUInt64(v)
                    guard let record = try txn.storedRecord(at: p) else {
                        throw LMDBResult(code: MDB_CORRUPTED, operation: "the streams index names position \(p), which the log lacks")
                    }
                    do {
                        guard try visit(LMDBKeys.trailingUInt64(k), p, record) else { return }
                    } catch {
                        failure = error
                        return
                    }
                    entry = try c.get(direction == .forward ? MDB_NEXT : MDB_PREV)
                }
            }
        }
        if let failure { throw failure }
    }

    public nonisolated(nonsending) func scanIndex(_ index: StorageIndex, _ visit: (IndexEntry, UnsafeRawBufferPointer?) throws -> Bool) async throws {
        var failure: (any Error)?
        try read { (txn) throws(LMDBResult) in
            let db: MDB_dbi
            switch index {
            case .streams: db = txn.dbs.streams
            case .heads: db = txn.dbs.heads
            case .eventIDs: db = txn.dbs.eventIDs
            case .categories: db = txn.dbs.categories
            }
            try txn.withCursor(db) { (c) throws(LMDBResult) in
                var entry = try c.get(MDB_FIRST)
                while let (k, v) = entry {
                    let parsed: IndexEntry
                    do throws(EventStoreError) {
                        parsed = try Self.indexEntry(index, key: LMDBKeys.buffer(k), value: LMDBKeys.buffer(v))
                    } catch {
                        failure = error
                        return
                    }
                    let record = try parsed.position.flatMap { (p) throws(LMDBResult) in try txn.storedRecord(at: p) }
                    do {
                        guard try visit(parsed, record) else { return }
                    } catch {
                        failure = error
                        return
                    }
                    entry = try c.get(MDB_NEXT)
                }
            }
        }
        if let failure { throw failure }
    }

    /// Reads one index entry (layouts in ``LMDBKeys``).
    static func indexEntry(_ index: StorageIndex, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(EventStoreError) -> IndexEntry {
        func malformed(_ what: String) -> EventStoreError {
            EventStoreError.corrupted("the \(index) index holds a malformed entry: \(what) (key \(AuditHash.hexString(Array(key.prefix(48)))))")
        }
        func number(_ raw: UnsafeRawBufferPointer) -> UInt64 {
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self))
        }
        /// The name of a `name 0x00 number` key.
        func name(_ raw: UnsafeRawBufferPointer, suffix: Int) throws(EventStoreError) -> String {
            let bytes = UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - suffix)])
            guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
                throw malformed("the name is not UTF-8 text without 0x00")
            }
            return text
        }
        switch index {
        case .streams, .categories:
            guard key.count >= 10, key[key.count - 9] == 0 else { throw malformed("the key is not name, 0x00, 8-byte number") }
            guard value.count == (index == .streams ? 8 : 0) else { throw malformed("a value of \(value.count) bytes") }
            let text = try name(key, suffix: 9)
            return index == .streams ? .stream(text, version: number(key), position: number(value)) : .category(text, position: number(key))
        case .heads:
            guard !key.isEmpty, value.count == 8 else { throw malformed("a key of \(key.count) bytes and a value of \(value.count)") }
            return .head(try name(key, suffix: 0), version: number(value))
        case .eventIDs:
            guard key.count == 16, value.count == 8 else { throw malformed("a key of \(key.count) bytes and a value of \(value.count)") }
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: key) }
            return .eventID(UUID(uuid: uuid), position: number(value))
        }
    }

    /// Whether an index key has the same name part as `key` (name, 0x00, number).
    private static func hasPrefix(_ k: MDB_val, of key: [UInt8]) -> Bool {
        guard k.mv_size == key.count else { return false }
        return key.withUnsafeBytes { raw in
            UnsafeRawBufferPointer(rebasing: raw[..<(key.count - 8)]).bytesEqual(UnsafeRawBufferPointer(start: k.mv_data, count: key.count - 8))
        }
    }

    public func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
        try read { (txn) throws(LMDBResult) in try txn.projection(slot, tables: tables) }
    }

    public func rows(_ slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow] {
        try read { (txn) throws(LMDBResult) in try txn.rows(slot, table: table, range) }
    }

    public func snapshot(_ stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        try read { (txn) throws(LMDBResult) in try txn.snapshot(stream) }
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        try read { (txn) throws(LMDBResult) -> [String] in
            try txn.withCursor(txn.dbs.projections) { (c) throws(LMDBResult) -> [String] in
                var names: [String] = []
                var entry = try c.get(MDB_FIRST)
                while let (k, _) = entry {
                    names.append(String(decoding: LMDBKeys.buffer(k), as: UTF8.self))
                    entry = try c.get(MDB_NEXT)
                }
                return names
            }
        }
    }

    public func statistics() async throws(EventStoreError) -> StoreStatistics {
        let bytes = environment.bytesOnDisk
        return try read { (txn) throws(LMDBResult) -> StoreStatistics in
            var stat = MDB_stat()
            try LMDBResult.check(mdb_stat(txn.txn, txn.dbs.heads, &stat), "mdb_stat(heads)")
            let streams = UInt64(stat.ms_entries)
            try LMDBResult.check(mdb_stat(txn.txn, txn.dbs.events, &stat), "mdb_stat(events)")
            let events = UInt64(stat.ms_entries)
            // Distinct categories: jump from one category prefix to the next.
            let categories = try txn.withCursor(txn.dbs.categories) { (c) throws(LMDBResult) -> UInt64 in
                var count: UInt64 = 0
                var entry = try c.get(MDB_FIRST)
                while let (k, _) = entry {
                    guard k.mv_size >= 9 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading a categories key of \(k.mv_size) bytes") }
                    count += 1
                    var next = Array(LMDBKeys.buffer(k).prefix(Int(k.mv_size) - 9))
                    next.append(1)
                    entry = try c.seek(next)
                }
                return count
            }
            let head = try txn.head()
            return StoreStatistics(events: events, streams: streams, categories: categories, bytesOnDisk: bytes,
                                   headPosition: head.position, headHash: head.position == 0 ? "" : head.hash.hex)
        }
    }

    // MARK: Writes

    /// Whether the store was opened read-only.
    public var isReadOnly: Bool { environment.readOnly }

    public nonisolated(nonsending) func write<T>(_ body: (inout Transaction) async throws -> T) async throws -> T {
        guard !environment.readOnly else {
            throw EventStoreError(code: .readOnly, message: "the store at \(path) was opened read-only")
        }
        return try await withTaskExecutorPreference(writer) {
            while true {
                do {
                    return try await writeOnce(body)
                } catch let error as EventStoreError where error.isLMDBMapFull {
                    do throws(LMDBResult) {
                        try environment.grow(minimum: 0)
                    } catch {
                        throw error.storeError
                    }
                    configuration.options.logger.info("LMDB map grown", metadata: ["mapSize": "\(environment.mapSize)"])
                } catch let error as EventStoreError where error.engineCode == .lmdb(MDB_MAP_RESIZED) {
                    do throws(LMDBResult) {
                        try environment.adoptResizedMap()
                    } catch {
                        throw error.storeError
                    }
                }
            }
        }
    }

    /// One attempt: begin on the writer thread, run `body`, commit. A failed
    /// commit has already freed the transaction: it is not aborted again.
    private func writeOnce<T>(_ body: (inout Transaction) async throws -> T) async throws -> T {
        guard writer.isCurrent else {
            throw EventStoreError.storage("an LMDB write transaction must run on the store's writer thread")
        }
        return try await environment.withWriteTransaction { raw in
            var txn = Transaction(txn: LMDBTransaction(txn: raw, dbs: environment.dbs), thread: writer)
            return try await body(&txn)
        }
    }

    public func sync() async throws(EventStoreError) {
        guard !environment.readOnly else { return }
        try environment.sync()
    }

    /// Other processes' commits are seen through ``watchCommits(_:)`` at
    /// once; the head is re-read every ``LMDBConfiguration/commitRecheckInterval``
    /// as well (every second when the file cannot be watched).
    public var commitRecheckInterval: Duration? {
        watcher.withLock { $0 } == nil ? .seconds(1) : configuration.commitRecheckInterval
    }

    /// Watches the data file: a commit by any process is reported within
    /// milliseconds (inotify), not at the next re-read of the head.
    public func watchCommits(_ onCommit: @escaping @Sendable (UInt64) -> Void) {
        let readHead: @Sendable () -> UInt64? = { [weak self] in
            try? self?.read({ (txn) throws(LMDBResult) in try txn.head() }).position
        }
        let lastSeen = Locked(readHead() ?? 0)
        let started = LMDBCommitWatcher.start(file: path + "/data.mdb") { () -> Bool in
            guard let head = readHead() else { return true }
            let advanced = lastSeen.withLock { last in
                guard head > last else { return false }
                last = head
                return true
            }
            if advanced { onCommit(head) }
            return advanced
        }
        let previous = watcher.withLock { w -> LMDBCommitWatcher? in
            defer { w = started }
            return w
        }
        previous?.stop()
    }

    public func close() async {
        watcher.withLock { w -> LMDBCommitWatcher? in
            defer { w = nil }
            return w
        }?.stop()
        environment.close()
        writer.stop()
    }
}

/// The durable event store on local disk: an ``EventLog`` over ``LMDBStorage``.
public typealias LMDBEventStore = EventLog<LMDBStorage>

extension EventLog where Storage == LMDBStorage {
    /// Opens or creates the store described by `configuration`.
    ///
    /// ```swift
    /// var configuration = LMDBConfiguration(path: "./caseledger-data")
    /// configuration.durability = .relaxed
    /// let store = try LMDBEventStore(configuration: configuration)
    /// ```
    ///
    /// - Throws: ``EventStoreError`` when the directory cannot be created or
    ///   LMDB refuses to open it.
    public convenience init(configuration: LMDBConfiguration) throws(EventStoreError) {
        self.init(storage: try LMDBStorage(configuration: configuration), options: configuration.options,
                  inlineProjections: configuration.inlineProjections)
    }

    /// Opens or creates a store at `path` (durable by default: one sync to
    /// disk per commit).
    ///
    /// ```swift
    /// let store = try LMDBEventStore(path: "./caseledger-data")
    /// ```
    public convenience init(path: String, access: LMDBAccess = .create, durability: LMDBDurability = .durable,
                            options: EventStoreOptions = EventStoreOptions()) throws(EventStoreError) {
        try self.init(configuration: LMDBConfiguration(path: path, access: access, durability: durability, options: options))
    }

    /// The directory of the environment.
    public var path: String { storage.path }

    /// The size of the data file in bytes.
    public var bytesOnDisk: UInt64 { storage.bytesOnDisk }

    /// The current LMDB map size in bytes.
    public var mapSize: Int { storage.mapSize }
}
