/// The slot of one projection type.
final class ProjectionSlot<P: Projection>: AnyProjectionSlot, @unchecked Sendable {
    let projection: P
    var state: P.State
    private let cachedFilter: EventFilter

    init(_ projection: P) {
        self.projection = projection
        self.state = projection.initialState()
        self.cachedFilter = projection.filter
    }

    override var name: String { P.name }
    override var filter: EventFilter { cachedFilter }
    override var anyState: any Sendable { state }

    override func apply(_ envelope: EventEnvelope) throws {
        try projection.apply(envelope, to: &state)
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
