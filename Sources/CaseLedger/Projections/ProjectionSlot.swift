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
    /// The canonical encoding of the state.
    func encodeState() throws(CodecError) -> [UInt8]
    /// Replaces state and checkpoint with saved ones.
    mutating func load(_ stored: StoredProjection) throws(CodecError)
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

    mutating func load(_ stored: StoredProjection) throws(CodecError) {
        state = try BinaryCodec().decode(P.State.self, from: stored.state)
        checkpoint = stored.checkpoint
    }

    func fresh() -> any FoldSlot {
        ProjectionSlot(projection)
    }
}
