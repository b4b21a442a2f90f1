/// Builds projections as of a position or a time, in memory, without
/// touching their live read models.
///
/// ```swift
/// let replayer = ProjectionReplayer(store: store, registry: registry)
/// let past = try await replayer.replay([TicketBoardProjection()], asOf: .position(10_000))
/// print(past.digests, past.state(of: TicketBoardProjection.self)!)
/// ```
public struct ProjectionReplayer: Sendable {
    let store: any EventStore
    let registry: EventTypeRegistry
    let pageSize: Int

    /// Creates a replayer.
    public init(store: any EventStore, registry: EventTypeRegistry, pageSize: Int = 4_096) {
        self.store = store
        self.registry = registry
        self.pageSize = pageSize
    }

    /// Folds the projections from position 1 to the replay point.
    ///
    /// - Parameters:
    ///   - projections: the projections to build, each from its initial state.
    ///   - point: where to stop.
    ///   - progress: called after each page with (events read, target position).
    public func replay(
        _ projections: [any Projection],
        asOf point: ReplayPoint = .head,
        progress: (@Sendable (UInt64, UInt64) -> Void)? = nil
    ) async throws -> ProjectionReplay {
        var slots = projections.map { makeSlot($0) }
        let head = try await store.headPosition()
        let target: UInt64
        var notAfter: Timestamp?
        switch point {
        case .head: target = head
        case .position(let p): target = min(p, head)
        case .time(let t):
            target = head
            notAfter = t
        }
        let run = try await FoldRunner.run(
            store: store, registry: registry, slots: &slots, upTo: target, notAfter: notAfter, pageSize: pageSize
        ) { _, low, _ in progress?(low, target) }
        // As of a time, the replay stands at the last event recorded by then.
        let reached = notAfter == nil ? run.low : run.lastIncluded
        var digests: [String: String] = [:]
        var states: [String: any Sendable] = [:]
        for slot in slots {
            digests[slot.name] = ProjectionDigest.of(encoded: try slot.encodeState())
            states[slot.name] = slot.anyState
        }
        return ProjectionReplay(position: reached, digests: digests, states: states)
    }

    private func makeSlot<P: Projection>(_ projection: P) -> any FoldSlot {
        ProjectionSlot(projection)
    }
}
