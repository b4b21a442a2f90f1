import Foundation

/// Storage held in memory: for tests and small embeddings, and the sample of
/// how a backend implements ``EventStorage``, through its public interface
/// alone.
///
/// A store over it is an ``InMemoryEventStore`` (an ``EventLog``); every
/// rule of the log is the engine's, so it behaves as a durable store does.
///
/// ```swift
/// let store = InMemoryEventStore()
/// let stream = try StreamName("ticket-1")
/// _ = try await store.append([EventData(type: "TicketFiled", payload: [])], to: stream)
/// print(try await store.headPosition()) // 1
/// ```
public final class InMemoryStorage: EventStorage {
    /// What is stored. Records are immutable arrays, so a reader copies
    /// references under the lock and reads them after.
    struct State {
        var records: [[UInt8]] = []
        var streams: [String: [UInt64]] = [:]
        var categories: [String: [UInt64]] = [:]
        var ids: [UUID: UInt64] = [:]
        var projections: [String: StoredProjection] = [:]
        /// Rows by slot, table and key.
        var rows: [String: [String: [String: [UInt8]]]] = [:]
        var snapshots: [String: AggregateSnapshot] = [:]
        var closed = false

        var head: LogHead {
            guard let last = records.last, let hash = AuditHash(bytes: Array(last.suffix(RecordFormat.hashSize))) else { return .empty }
            return LogHead(position: UInt64(records.count), hash: hash)
        }
    }

    let state = Locked(State())

    /// Creates empty storage.
    public init() {}

    public var name: String { "memory" }

    public var commitRecheckInterval: Duration? { nil }

    /// Runs `body` on the state, failing once closed.
    func read<T>(_ body: (State) throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        try state.withLock { (s) throws(EventStoreError) -> T in
            guard !s.closed else { throw EventStoreError.storeClosed }
            return try body(s)
        }
    }

    public func head() async throws(EventStoreError) -> LogHead {
        try read { $0.head }
    }

    public func streamVersion(_ stream: String) async throws(EventStoreError) -> UInt64 {
        try read { UInt64($0.streams[stream]?.count ?? 0) }
    }

    public nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, category: String?,
                                                _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Bool) async throws {
        let records: [(UInt64, [UInt8])] = try read { s in
            if let category {
                return (s.categories[category] ?? []).lazy.filter { $0 >= position && $0 <= last }.map { ($0, s.records[Int($0 - 1)]) }
            }
            let start = Int(min(max(1, position), UInt64(s.records.count) + 1)) - 1
            let end = Int(min(last, UInt64(s.records.count)))
            guard start < end else { return [] }
            return (start..<end).map { (UInt64($0 + 1), s.records[$0]) }
        }
        for (p, bytes) in records {
            guard try bytes.withUnsafeBytes({ try visit(p, $0) }) else { return }
        }
    }

    public nonisolated(nonsending) func scanStream(_ stream: String, from version: UInt64, direction: ReadDirection,
                                                   _ visit: (UInt64, UInt64, UnsafeRawBufferPointer) throws -> Bool) async throws {
        let records: [(UInt64, UInt64, [UInt8])] = try read { s in
            guard let positions = s.streams[stream], !positions.isEmpty, version >= 1 else { return [] }
            let count = UInt64(positions.count)
            let versions: [UInt64] = direction == .forward
                ? (version <= count ? Array(version...count) : [])
                : Array((1...min(version, count)).reversed())
            return versions.map { v in (v, positions[Int(v - 1)], s.records[Int(positions[Int(v - 1)] - 1)]) }
        }
        for (v, p, bytes) in records {
            guard try bytes.withUnsafeBytes({ try visit(v, p, $0) }) else { return }
        }
    }

    public nonisolated(nonsending) func scanIndex(_ index: StorageIndex, _ visit: (IndexEntry, UnsafeRawBufferPointer?) throws -> Bool) async throws {
        let entries: [(IndexEntry, [UInt8]?)] = try read { s in
            func record(_ p: UInt64) -> [UInt8]? { p >= 1 && p <= UInt64(s.records.count) ? s.records[Int(p - 1)] : nil }
            switch index {
            case .streams:
                return s.streams.flatMap { name, ps in ps.enumerated().map { (IndexEntry.stream(name, version: UInt64($0.offset + 1), position: $0.element), record($0.element)) } }
            case .heads:
                return s.streams.map { (IndexEntry.head($0.key, version: UInt64($0.value.count)), nil) }
            case .eventIDs:
                return s.ids.map { (IndexEntry.eventID($0.key, position: $0.value), record($0.value)) }
            case .categories:
                return s.categories.flatMap { name, ps in ps.map { (IndexEntry.category(name, position: $0), record($0)) } }
            }
        }
        for (entry, bytes) in entries {
            let more: Bool
            if let bytes { more = try bytes.withUnsafeBytes { try visit(entry, $0) } } else { more = try visit(entry, nil) }
            guard more else { return }
        }
    }

    public func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
        try read { s in s.projections[slot].map { Self.withRows($0, s.rows[slot], tables) } }
    }

    public func rows(_ slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow] {
        try read { Self.rows(in: $0.rows[slot]?[table] ?? [:], range) }
    }

    /// A stored projection with the rows of the named tables.
    static func withRows(_ stored: StoredProjection, _ rows: [String: [String: [UInt8]]]?, _ tables: [String]) -> StoredProjection {
        var out = stored
        for table in tables { out.rows[table] = Self.rows(in: rows?[table] ?? [:], .all) }
        return out
    }

    /// The rows of a table in `range`, in key order (UTF-8 bytes).
    static func rows(in table: [String: [UInt8]], _ range: RowRange) -> [ReadModelRow] {
        let keys = table.keys.filter { range.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return keys.prefix(range.limit).compactMap { key in table[key].map { ReadModelRow(key: key, value: $0) } }
    }

    /// Applies the row writes among `writes` to rows by slot, table and key.
    static func applyRows(_ writes: [ReadModelWrite], to rows: inout [String: [String: [String: [UInt8]]]]) {
        for write in writes {
            switch write {
            case .deleteProjection(let slot): rows[slot] = nil
            case .saveRows(let slot, let table, let saved, let deleting):
                for row in saved { rows[slot, default: [:]][table, default: [:]][row.key] = row.value }
                for key in deleting { rows[slot]?[table]?[key] = nil }
            case .saveProjection, .saveSnapshot, .requireCheckpoint: continue
            }
        }
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        try read { $0.projections.keys.sorted() }
    }

    public func snapshot(_ stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        try read { $0.snapshots[stream] }
    }

    public func statistics() async throws(EventStoreError) -> StoreStatistics {
        try read { s in
            let head = s.head
            return StoreStatistics(events: UInt64(s.records.count), streams: UInt64(s.streams.count), categories: UInt64(s.categories.count),
                                   bytesOnDisk: 0, headPosition: head.position, headHash: head.position == 0 ? "" : head.hash.hex)
        }
    }

    public nonisolated(nonsending) func write<T>(_ body: (inout Transaction) async throws -> T) async throws -> T {
        var txn = try read { Transaction(storage: self, base: $0.head) }
        let result = try await body(&txn)
        try state.withLock { (s) throws(EventStoreError) in
            guard !s.closed else { throw EventStoreError.storeClosed }
            txn.commit(into: &s)
        }
        return result
    }

    public func close() async {
        state.withLock { $0.closed = true }
    }

    /// A write transaction: its changes are kept aside and applied to the
    /// state in one step when it commits. Reads see them first.
    public struct Transaction: EventStorageTransaction {
        let storage: InMemoryStorage
        /// The head as this transaction leaves it.
        var tip: LogHead
        var added: [[UInt8]] = []
        var versions: [String: UInt64] = [:]
        var streamPositions: [String: [UInt64]] = [:]
        var categoryPositions: [String: [UInt64]] = [:]
        var ids: [UUID: UInt64] = [:]
        var writes: [ReadModelWrite] = []

        init(storage: InMemoryStorage, base: LogHead) {
            self.storage = storage
            self.tip = base
        }

        public func head() async throws(EventStoreError) -> LogHead { tip }

        public func streamVersions(_ streams: [String]) async throws(EventStoreError) -> [String: UInt64] {
            try storage.read { s in
                var out: [String: UInt64] = [:]
                for name in streams {
                    let v = versions[name] ?? UInt64(s.streams[name]?.count ?? 0)
                    if v > 0 { out[name] = v }
                }
                return out
            }
        }

        public func positions(ofEventIDs wanted: [UUID]) async throws(EventStoreError) -> [UUID: UInt64] {
            try storage.read { s in
                var out: [UUID: UInt64] = [:]
                for id in wanted { if let p = ids[id] ?? s.ids[id] { out[id] = p } }
                return out
            }
        }

        /// The stored value at a position, this transaction's records included.
        func record(at position: UInt64) throws(EventStoreError) -> [UInt8] {
            let firstAdded = tip.position - UInt64(added.count) + 1
            if position >= firstAdded && position <= tip.position { return added[Int(position - firstAdded)] }
            let stored: [UInt8]? = try storage.read { s in position >= 1 && position <= UInt64(s.records.count) ? s.records[Int(position - 1)] : nil }
            guard let stored else { throw EventStoreError.corrupted("no record at position \(position)", position: position) }
            return stored
        }

        public nonisolated(nonsending) func scanRecords(at positions: [UInt64], _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Void) async throws {
            for p in positions { try record(at: p).withUnsafeBytes { try visit(p, $0) } }
        }

        public nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Void) async throws {
            guard position <= last else { return }
            for p in max(1, position)...min(last, tip.position) { try record(at: p).withUnsafeBytes { try visit(p, $0) } }
        }

        public func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
            var (stored, rows) = try storage.read { s in (s.projections[slot], s.rows) }
            for write in writes {
                switch write {
                case .saveProjection(let s, let p) where s == slot: stored = p
                case .deleteProjection(let s) where s == slot: stored = nil
                default: continue
                }
            }
            InMemoryStorage.applyRows(writes, to: &rows)
            return stored.map { InMemoryStorage.withRows($0, rows[slot], tables) }
        }

        public mutating func insert(_ batch: RecordBatch) async throws(EventStoreError) -> InsertOutcome {
            var outcome = InsertOutcome.inserted
            var staged = self
            try batch.forEach { record throws(EventStoreError) in
                guard case .inserted = outcome else { return }
                let id = record.eventID
                let exists = try staged.storage.read { $0.ids[id] != nil } || staged.ids[id] != nil
                if exists {
                    outcome = .eventIDExists(id)
                    return
                }
                staged.added.append(Array(record.stored))
                staged.streamPositions[record.streamName, default: []].append(record.position)
                staged.categoryPositions[record.category, default: []].append(record.position)
                staged.ids[id] = record.position
                staged.tip = LogHead(position: record.position, hash: record.hash)
            }
            guard case .inserted = outcome else { return outcome }
            for (stream, version) in batch.streamVersions { staged.versions[stream] = version }
            self = staged
            return .inserted
        }

        public mutating func apply(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
            for write in writes {
                if case .requireCheckpoint(let slot, let checkpoint) = write {
                    let held = try await projection(slot, tables: [])?.checkpoint
                    guard held == checkpoint else { throw EventStoreError.readModelConflict(slot: slot, required: checkpoint, held: held) }
                } else {
                    self.writes.append(write)
                }
            }
        }

        /// Applies the transaction's changes.
        func commit(into s: inout State) {
            s.records += added
            for (stream, positions) in streamPositions { s.streams[stream, default: []] += positions }
            for (category, positions) in categoryPositions { s.categories[category, default: []] += positions }
            s.ids.merge(ids) { $1 }
            for write in writes {
                switch write {
                case .saveProjection(let slot, let p): s.projections[slot] = StoredProjection(checkpoint: p.checkpoint, state: p.state)
                case .deleteProjection(let slot): s.projections[slot] = nil
                case .saveSnapshot(let stream, let snapshot): s.snapshots[stream] = snapshot
                case .saveRows, .requireCheckpoint: continue
                }
            }
            InMemoryStorage.applyRows(writes, to: &s.rows)
        }
    }
}

/// The event store held in memory: an ``EventLog`` over ``InMemoryStorage``.
public typealias InMemoryEventStore = EventLog<InMemoryStorage>

extension EventLog where Storage == InMemoryStorage {
    /// Creates an empty store in memory.
    ///
    /// ```swift
    /// let store = InMemoryEventStore()
    /// ```
    ///
    /// - Parameters:
    ///   - options: limits, logger, metrics and clock.
    ///   - inlineProjections: projections updated with every append.
    public convenience init(options: EventStoreOptions = EventStoreOptions(), inlineProjections: InlineProjections? = nil) {
        self.init(storage: InMemoryStorage(), options: options, inlineProjections: inlineProjections)
    }
}
