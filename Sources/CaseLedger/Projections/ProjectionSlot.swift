import Foundation

/// A projection's state and checkpoint as a fold carries them.
///
/// Slots are values: the engine owns them, hands them to a fold task and
/// takes them back (they are `Sendable`, so the compiler checks every hand
/// over); a fold task mutates the only copy, in place.
protocol FoldSlot: Sendable {
    /// The projection's name.
    var name: String { get }
    /// The position of the last event folded in (or passed over).
    var checkpoint: UInt64 { get set }
    /// The events it reads.
    var filter: EventFilter { get }
    /// How records of a kind reach the projection, or `nil` to pass them over.
    func route(type: String, schemaVersion: UInt16, registry: EventTypeRegistry) -> FoldRoute?
    /// Folds one record along its route.
    mutating func fold(_ view: RecordView, route: FoldRoute, context: EventContext,
                       registry: EventTypeRegistry, binary: Bool) throws
    /// The canonical encoding of the whole state, tables included (what
    /// digests are computed over).
    func encodeState() throws(CodecError) -> [UInt8]
    /// The stored tables to read with the slot: the state's tables saved as
    /// rows (``KeyedReadModel``) and their layout.
    var tableNames: [String] { get }
    /// Why the state's tables cannot be stored (a bad or repeated name), or `nil`.
    var tableProblem: String? { get }
    /// The writes that save the state and checkpoint under `slot`: the state
    /// with its tables left out, and the rows changed since the last save
    /// there (every row, the slot's old rows removed first, when the last
    /// save or load was not of `slot`). Changes nothing: after the writes
    /// commit, ``markSaved(as:)``.
    func saveWrites(as slot: String) throws -> [ReadModelWrite]
    /// Records that the writes of ``saveWrites(as:)`` committed.
    mutating func markSaved(as slot: String)
    /// Forgets where the state was saved: the next save is whole (after
    /// another writer saved the slot).
    mutating func forgetSaved()
    /// Replaces state and checkpoint with the ones saved in `slot` (read
    /// with the rows of ``tableNames``).
    mutating func load(_ stored: StoredProjection, from slot: String) throws(CodecError)
    /// The same projection at its initial state and checkpoint 0.
    func fresh() -> any FoldSlot
    /// The state, type-erased.
    var anyState: any Sendable { get }
}

/// The slot of one projection type.
struct ProjectionSlot<P: Projection>: FoldSlot {
    let projection: P
    let handlers: EventHandlers<P.State>
    /// The handlers' decoders, kept apart for the fold's hot path.
    let decoders: [PayloadDecoder]
    let filter: EventFilter
    /// Whether the handlers get personal fields with the vault (to open
    /// when read), or sealed with nothing to open them.
    let opensPersonalData: Bool
    var state: P.State
    var checkpoint: UInt64 = 0
    /// The state's tables saved as rows.
    let tables: [ReadModelTableKey<P.State>]
    /// The slot whose stored rows are the tables' rows as of their last
    /// save (or load); `nil` when none is.
    var savedAs: String?
    /// The checkpoint of that save or load: an incremental save requires the
    /// slot to hold it still.
    var savedCheckpoint: UInt64?

    init(_ projection: P) {
        self.projection = projection
        var handlers = projection.handlers()
        if handlers.isEmpty {
            handlers.fallback = { envelope, state in try projection.apply(envelope, to: &state) }
        }
        self.handlers = handlers
        self.decoders = handlers.decoders
        self.filter = projection.filter
        self.opensPersonalData = projection.opensPersonalData
        self.state = projection.initialState()
        self.tables = (P.State.self as? any KeyedReadModel.Type).map { Self.tables(of: $0) } ?? []
    }

    private static func tables<S: KeyedReadModel>(of type: S.Type) -> [ReadModelTableKey<P.State>] {
        S.tables as? [ReadModelTableKey<P.State>] ?? []
    }

    var name: String { P.name }

    var anyState: any Sendable { state }

    func route(type: String, schemaVersion: UInt16, registry: EventTypeRegistry) -> FoldRoute? {
        if let types = filter.eventTypes, !types.contains(type) { return nil }
        return handlers.route(type: type, schemaVersion: schemaVersion, registry: registry)
    }

    mutating func fold(_ view: RecordView, route: FoldRoute, context: EventContext,
                       registry: EventTypeRegistry, binary: Bool) throws {
        if case .handler(let i) = route {
            // The common case, straight to the typed decoder.
            let decoder = decoders[i]
            let opener = opensPersonalData ? registry.personalData : nil
            try withUnsafeMutablePointer(to: &state) {
                try decoder(view.payload, binary, registry.codec, opener, context, UnsafeMutableRawPointer($0))
            }
        } else {
            // Upcast or untyped events: the same promise, through a registry
            // without the vault.
            var registry = registry
            if !opensPersonalData { registry.personalData = nil }
            try handlers.fold(view, route: route, context: context, registry: registry, binary: binary, into: &state)
        }
    }

    func encodeState() throws(CodecError) -> [UInt8] {
        try BinaryCodec().encode(state)
    }

    var tableNames: [String] { tables.isEmpty ? [] : tables.map(\.name) + [ReadModelTableKey<P.State>.layoutTable] }

    var tableProblem: String? { ReadModelTableKey<P.State>.problem(tables) }

    func saveWrites(as slot: String) throws -> [ReadModelWrite] {
        let codec = BinaryCodec()
        guard !tables.isEmpty else { return [.saveProjection(slot: slot, StoredProjection(checkpoint: checkpoint, state: try codec.encode(state)))] }
        // The state without the rows of its tables (a copy that shares the
        // rest's storage).
        var small = state
        for table in tables { table.clear(&small) }
        let bytes = try codec.encode(small)
        // Whole: the first save here, or a table made anew or replaced since
        // the last one; the slot's old rows go first.
        let whole = savedAs != slot || tables.contains { !$0.isTracked(state) }
        var writes: [ReadModelWrite] = whole ? [.deleteProjection(slot: slot)] : [.requireCheckpoint(slot: slot, savedCheckpoint)]
        writes.append(.saveProjection(slot: slot, StoredProjection(checkpoint: checkpoint, state: bytes)))
        if whole {
            let layout = ReadModelRow(key: "tables", value: ReadModelTableKey<P.State>.layout(tables))
            writes.append(.saveRows(slot: slot, table: ReadModelTableKey<P.State>.layoutTable, rows: [layout], deleting: []))
        }
        for table in tables {
            let stored: [ReadModelTableKey<P.State>.StoredRows]
            do {
                stored = whole ? try table.all(state, codec) : try table.changes(state, codec)
            } catch {
                throw ProjectionError(projection: P.name, message: "\(error)")
            }
            for var part in stored {
                for row in part.rows where !Self.storable(row.key, slot: slot, table: part.table) {
                    throw ProjectionError(projection: P.name, message: "table \(part.table): the key \(row.key.debugDescription) cannot be stored: keys are in Unicode normal form C, without NUL, and at most \(ReadModelRow.maximumKeyBytes) bytes with the slot's and table's names")
                }
                // A key that cannot be stored never was: nothing to remove.
                part.deleted.removeAll { !Self.storable($0, slot: slot, table: part.table) }
                guard !part.rows.isEmpty || !part.deleted.isEmpty else { continue }
                writes.append(.saveRows(slot: slot, table: part.table, rows: part.rows, deleting: part.deleted))
            }
        }
        return writes
    }

    /// Whether every backend stores `key` as it is: at most the key limit,
    /// no NUL, and in normal form C (Swift compares strings by canonical
    /// equivalence, the databases by bytes).
    static func storable(_ key: String, slot: String, table: String) -> Bool {
        guard key.utf8.count + slot.utf8.count + table.utf8.count + 2 <= ReadModelRow.maximumKeyBytes, !key.utf8.contains(0) else { return false }
        if key.utf8.allSatisfy({ $0 < 0x80 }) { return true }
        return key.utf8.elementsEqual(key.precomposedStringWithCanonicalMapping.utf8)
    }

    mutating func markSaved(as slot: String) {
        for table in tables { table.markSaved(&state) }
        savedAs = slot
        savedCheckpoint = checkpoint
    }

    mutating func forgetSaved() { savedAs = nil }

    mutating func load(_ stored: StoredProjection, from slot: String) throws(CodecError) {
        let codec = BinaryCodec()
        state = try codec.decode(P.State.self, from: stored.state)
        checkpoint = stored.checkpoint
        savedAs = slot
        savedCheckpoint = stored.checkpoint
        guard !tables.isEmpty else { return }
        // Saved with another layout of tables (or none): save whole next time.
        if stored.rows[ReadModelTableKey<P.State>.layoutTable]?.first?.value != ReadModelTableKey<P.State>.layout(tables) {
            savedAs = nil
        }
        for table in tables {
            // A state saved before the table was saved as rows holds its rows
            // itself: keep them (the layout differs: the next save is whole).
            let rows = stored.rows[table.name] ?? []
            if !(rows.isEmpty && table.hasRows(state)) {
                try table.load(&state, rows, codec)
            }
        }
    }

    func fresh() -> any FoldSlot {
        ProjectionSlot(projection)
    }
}
