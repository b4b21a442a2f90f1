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
    /// The names of the state's tables saved as rows (``KeyedReadModel``).
    var tableNames: [String] { get }
    /// The writes that save the state and checkpoint under `slot`: the state
    /// with its tables left out, and the rows changed since the last save
    /// there (every row, the slot's old rows removed first, when the last
    /// save or load was not of `slot`). Changes nothing: after the writes
    /// commit, ``markSaved(as:)``.
    func saveWrites(as slot: String) throws -> [ReadModelWrite]
    /// Records that the writes of ``saveWrites(as:)`` committed.
    mutating func markSaved(as slot: String)
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
    var state: P.State
    var checkpoint: UInt64 = 0
    /// The state's tables saved as rows.
    let tables: [ReadModelTableKey<P.State>]
    /// The slot whose stored rows are the tables' rows as of their last
    /// save (or load); `nil` when none is.
    var savedAs: String?

    init(_ projection: P) {
        self.projection = projection
        var handlers = projection.handlers()
        if handlers.isEmpty {
            handlers.fallback = { envelope, state in try projection.apply(envelope, to: &state) }
        }
        self.handlers = handlers
        self.decoders = handlers.decoders
        self.filter = projection.filter
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
            try withUnsafeMutablePointer(to: &state) {
                try decoder(view.payload, binary, registry.codec, context, UnsafeMutableRawPointer($0))
            }
        } else {
            try handlers.fold(view, route: route, context: context, registry: registry, binary: binary, into: &state)
        }
    }

    func encodeState() throws(CodecError) -> [UInt8] {
        try BinaryCodec().encode(state)
    }

    var tableNames: [String] { tables.map(\.name) }

    func saveWrites(as slot: String) throws -> [ReadModelWrite] {
        let codec = BinaryCodec()
        let bytes = try codec.encode(state, omittingTables: !tables.isEmpty)
        guard !tables.isEmpty else { return [.saveProjection(slot: slot, StoredProjection(checkpoint: checkpoint, state: bytes))] }
        let whole = savedAs != slot
        var writes: [ReadModelWrite] = whole ? [.deleteProjection(slot: slot)] : []
        writes.append(.saveProjection(slot: slot, StoredProjection(checkpoint: checkpoint, state: bytes)))
        for table in tables {
            let stored: [ReadModelTableKey<P.State>.StoredRows]
            do {
                stored = whole ? try table.all(state, codec) : try table.changes(state, codec)
            } catch {
                throw ProjectionError(projection: P.name, message: "\(error)")
            }
            for part in stored where !part.rows.isEmpty || !part.deleted.isEmpty {
                for row in part.rows where row.key.utf8.count + slot.utf8.count + part.table.utf8.count + 2 > ReadModelRow.maximumKeyBytes || row.key.utf8.contains(0) {
                    throw ProjectionError(projection: P.name, message: "table \(part.table): the key \(row.key.debugDescription) is longer than \(ReadModelRow.maximumKeyBytes) bytes with the slot's and table's names, or holds a NUL")
                }
                writes.append(.saveRows(slot: slot, table: part.table, rows: part.rows, deleting: part.deleted))
            }
        }
        return writes
    }

    mutating func markSaved(as slot: String) {
        for table in tables { table.markSaved(&state) }
        savedAs = slot
    }

    mutating func load(_ stored: StoredProjection, from slot: String) throws(CodecError) {
        let codec = BinaryCodec()
        state = try codec.decode(P.State.self, from: stored.state)
        checkpoint = stored.checkpoint
        savedAs = slot
        for table in tables {
            // A state saved before the table was saved as rows holds its rows
            // itself: keep them, and save them as rows next time.
            let rows = stored.rows[table.name] ?? []
            if rows.isEmpty && table.hasRows(state) {
                savedAs = nil
            } else {
                try table.load(&state, rows, codec)
            }
        }
    }

    func fresh() -> any FoldSlot {
        ProjectionSlot(projection)
    }
}
