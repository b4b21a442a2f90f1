/// The slot of one projection type.
final class ProjectionSlot<P: Projection>: AnyProjectionSlot, @unchecked Sendable {
    let projection: P
    /// The state lives in memory the slot owns, so a handler folds into it
    /// in place without a dynamic exclusivity check per event (one task
    /// folds a slot at a time).
    private let storage: UnsafeMutablePointer<P.State>
    private let cachedFilter: EventFilter
    let handlers: EventHandlers<P.State>

    var state: P.State {
        get { storage.pointee }
        set { storage.pointee = newValue }
    }

    init(_ projection: P) {
        self.projection = projection
        self.storage = .allocate(capacity: 1)
        self.storage.initialize(to: projection.initialState())
        self.cachedFilter = projection.filter
        self.handlers = projection.handlers()
        super.init()
        let storage = self.storage
        appliers = handlers.entries.map { entry in
            let decodeAndApply = entry.decodeAndApply
            return { payload, binary, codec, context in
                try decodeAndApply(payload, binary, codec, context, &storage.pointee)
            }
        }
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    override var handledTypes: [(type: String, schemaVersion: UInt16)]? {
        handlers.isEmpty ? nil : handlers.entries.map { ($0.eventType, $0.schemaVersion) }
    }


    override var name: String { P.name }
    override var filter: EventFilter { cachedFilter }
    override var anyState: any Sendable { state }

    override func apply(_ envelope: EventEnvelope) throws {
        if handlers.isEmpty {
            try projection.apply(envelope, to: &storage.pointee)
        } else {
            _ = try handlers.apply(envelope.event, context: EventContext(envelope.record), to: &storage.pointee)
        }
    }

    override func encodeState() throws(CodecError) -> [UInt8] {
        try BinaryCodec().encode(state)
    }

    override func load(_ stored: StoredProjection) throws(CodecError) {
        state = try BinaryCodec().decode(P.State.self, from: stored.state)
        checkpoint = stored.checkpoint
    }

    override func copy() -> AnyProjectionSlot {
        let c = ProjectionSlot(projection)
        c.state = state
        c.checkpoint = checkpoint
        return c
    }

    override func fresh() -> AnyProjectionSlot {
        ProjectionSlot(projection)
    }
}
