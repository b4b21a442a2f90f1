/// Loads aggregates by folding their streams (from a snapshot when there is
/// one) and carries out commands with optimistic concurrency.
///
/// ```swift
/// let tickets = AggregateRepository<TicketState>(store: store, registry: registry, snapshots: .every(50))
/// try await tickets.execute(stream) { ticket in
///     try ticket.conclude(outcome: .resolved)   // returns [any DomainEvent]
/// }
/// ```
public struct AggregateRepository<A: AggregateRoot>: Sendable {
    let store: any EventStore
    let registry: EventTypeRegistry
    let snapshots: SnapshotPolicy
    let maximumAttempts: Int
    let ids: EventIDStrategy
    let handlers: EventHandlers<A>
    let binary: Bool

    /// Creates a repository.
    ///
    /// - Parameters:
    ///   - store: the event store; snapshots need a ``ReadModelStore``.
    ///   - registry: encodes and decodes events.
    ///   - snapshots: when to save snapshots.
    ///   - maximumAttempts: how many times a command runs when the stream
    ///     moved under it (wrong expected version) before the error surfaces.
    ///   - ids: how appended events get their ids.
    public init(store: any EventStore, registry: EventTypeRegistry, snapshots: SnapshotPolicy = .never,
                maximumAttempts: Int = 5, ids: EventIDStrategy = .random) {
        self.store = store
        self.registry = registry
        self.snapshots = snapshots
        self.maximumAttempts = max(1, maximumAttempts)
        self.ids = ids
        self.handlers = A.handlers()
        self.binary = registry.codec is BinaryCodec
    }

    /// Loads an aggregate: the latest usable snapshot, then the events after it.
    public func load(_ stream: StreamName) async throws -> LoadedAggregate<A> {
        var state = A()
        var version: UInt64 = 0
        var fromSnapshot = false
        if case .every = snapshots, let snapshotStore = store as? any ReadModelStore,
           let snapshot = try await snapshotStore.loadSnapshot(stream: stream.value),
           snapshot.schemaVersion == A.snapshotSchemaVersion,
           let decoded = try? BinaryCodec().decode(A.self, from: snapshot.state) {
            state = decoded
            version = snapshot.version
            fromSnapshot = true
        }
        if !handlers.isEmpty, let scanning = store as? any StoredRecordScanning {
            try foldInPlace(scanning, stream: stream, state: &state, version: &version)
            return LoadedAggregate(state: state, version: version, fromSnapshot: fromSnapshot)
        }
        var from = version + 1
        while true {
            let page = try await store.readStream(stream, from: from, direction: .forward, limit: 1_000)
            for record in page {
                for event in try registry.decodeAll(record) {
                    try apply(event, context: EventContext(record), to: &state)
                }
                version = record.streamVersion
            }
            guard page.count == 1_000, let last = page.last else { break }
            from = last.streamVersion + 1
        }
        return LoadedAggregate(state: state, version: version, fromSnapshot: fromSnapshot)
    }

    /// Runs a command: loads the aggregate, asks `decide` for new events,
    /// appends them expecting the version it loaded, and on a wrong expected
    /// version reloads and runs `decide` again, up to the attempt limit.
    ///
    /// - Parameters:
    ///   - stream: the aggregate's stream.
    ///   - metadata: metadata for every appended event.
    ///   - decide: the command; throws the domain's error to refuse.
    /// - Returns: the append's result (no positions when `decide` returns no events).
    /// - Throws: the domain's error from `decide`, ``EventStoreError``, ``CodecError``.
    @discardableResult
    public func execute(
        _ stream: StreamName,
        metadata: EventMetadata = EventMetadata(),
        _ decide: (A) throws -> [any DomainEvent]
    ) async throws -> AppendResult {
        var attempt = 0
        while true {
            attempt += 1
            let loaded = try await load(stream)
            let events = try decide(loaded.state)
            guard !events.isEmpty else {
                return AppendResult(positions: [], streamVersion: loaded.version, wasAlreadyStored: false)
            }
            var data: [EventData] = []
            var next = loaded.state
            for (i, event) in events.enumerated() {
                data.append(try registry.encode(event, id: ids.id(stream: stream.value, version: loaded.version + UInt64(i) + 1), metadata: metadata))
                try apply(event, context: .unrecorded, to: &next)
            }
            do {
                let result = try await store.append(data, to: stream, expectedVersion: .exact(loaded.version))
                if snapshots.shouldSnapshot(from: loaded.version, to: result.streamVersion), let snapshotStore = store as? any ReadModelStore {
                    let snapshot = AggregateSnapshot(version: result.streamVersion, schemaVersion: A.snapshotSchemaVersion, state: try BinaryCodec().encode(next))
                    try await snapshotStore.writeReadModels([.saveSnapshot(stream: stream.value, snapshot)])
                }
                return result
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion && attempt < maximumAttempts {
                continue
            }
        }
    }
}
