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
    let retry: ConflictRetry
    let ids: EventIDStrategy
    let handlers: EventHandlers<A>
    let binary: Bool

    /// Creates a repository.
    ///
    /// - Parameters:
    ///   - store: the event store; snapshots need a ``ReadModelStore``.
    ///   - registry: encodes and decodes events.
    ///   - snapshots: when to save snapshots.
    ///   - retry: how a command is run again when the stream moved under it
    ///     (wrong expected version): with backoff and jitter, within a time budget.
    ///   - ids: how appended events get their ids.
    public init(store: any EventStore, registry: EventTypeRegistry, snapshots: SnapshotPolicy = .never,
                retry: ConflictRetry = ConflictRetry(), ids: EventIDStrategy = .random) {
        self.store = store
        self.registry = registry
        self.snapshots = snapshots
        self.retry = retry
        self.ids = ids
        var handlers = A.handlers()
        if handlers.isEmpty {
            handlers.fallback = { envelope, state in try state.apply(envelope.event) }
        }
        self.handlers = handlers
        self.binary = registry.codec is BinaryCodec
    }

    /// Loads an aggregate: the latest usable snapshot, then the events after it.
    public func load(_ stream: StreamName) async throws -> LoadedAggregate<A> {
        try await withOptionalSpan(store.tracer, "caseledger.aggregate.load", attributes: { $0["caseledger.stream"] = stream.value }) {
            () async throws -> LoadedAggregate<A> in try await loadUntraced(stream)
        }
    }

    private func loadUntraced(_ stream: StreamName) async throws -> LoadedAggregate<A> {
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
        do {
            try await store.scanStream(stream, from: version + 1, direction: .forward) { view in
                let context = EventContext(position: view.position, streamVersion: view.streamVersion, recordedAt: view.recordedAt)
                if let route = handlers.route(view, registry: registry) {
                    try handlers.fold(view, route: route, context: context, registry: registry, binary: binary, into: &state)
                }
                version = view.streamVersion
                return true
            }
        } catch let error as EventStoreError {
            throw error
        } catch let error as RecordFormatError {
            throw EventStoreError.corrupted("stream \(stream.value) after version \(version): \(error.message)")
        }
        return LoadedAggregate(state: state, version: version, fromSnapshot: fromSnapshot)
    }

    /// Runs a command: loads the aggregate, asks `decide` for new events,
    /// appends them expecting the version it loaded, and on a wrong expected
    /// version waits a moment (growing, with jitter), reloads and runs
    /// `decide` again, until the retry policy's budget is spent.
    ///
    /// - Parameters:
    ///   - stream: the aggregate's stream.
    ///   - metadata: metadata for every appended event.
    ///   - version: the version the caller saw (an HTTP `If-Match`): the
    ///     command runs on that version only, and is not retried; `nil` runs
    ///     on the latest, retrying on conflicts.
    ///   - decide: the command; throws the domain's error to refuse.
    /// - Returns: the append's result (no positions when `decide` returns no events).
    /// - Throws: the domain's error from `decide`, ``EventStoreError``, ``CodecError``.
    @discardableResult
    public func execute(
        _ stream: StreamName,
        metadata: EventMetadata = EventMetadata(),
        expecting version: UInt64? = nil,
        _ decide: (A) throws -> [any DomainEvent]
    ) async throws -> AppendResult {
        try await withOptionalSpan(store.tracer, "caseledger.aggregate.execute", attributes: { $0["caseledger.stream"] = stream.value }) {
            () async throws -> AppendResult in try await executeUntraced(stream, metadata: metadata, expecting: version, decide)
        }
    }

    private func executeUntraced(
        _ stream: StreamName,
        metadata: EventMetadata,
        expecting expected: UInt64?,
        _ decide: (A) throws -> [any DomainEvent]
    ) async throws -> AppendResult {
        var attempt = 0
        let started = ContinuousClock.now
        while true {
            attempt += 1
            let loaded = try await load(stream)
            if let expected, loaded.version != expected {
                throw EventStoreError.wrongExpectedVersion(stream: stream.value, expected: .exact(expected), actual: loaded.version)
            }
            let events = try decide(loaded.state)
            guard !events.isEmpty else {
                return AppendResult(positions: [], streamVersion: loaded.version, wasAlreadyStored: false)
            }
            try await registry.preparePersonalKeys(for: events)
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
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
                guard expected == nil, let delay = retry.delay(afterAttempt: attempt, elapsed: ContinuousClock.now - started) else { throw error }
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Folds a command's own event into the state it was decided on.
    func apply(_ event: any DomainEvent, context: EventContext, to state: inout A) throws {
        if try !handlers.apply(event, context: context, to: &state), handlers.fallback != nil {
            try state.apply(event)
        }
    }
}

/// How a command is retried when its stream moved under it: exponential
/// backoff with full jitter, within an attempt limit and a time budget.
///
/// ```swift
/// let repository = AggregateRepository<Ticket>(store: store, registry: registry,
///                                              retry: ConflictRetry(timeBudget: .seconds(2)))
/// ```
public struct ConflictRetry: Sendable {
    /// The most attempts, the first included.
    public var maximumAttempts: Int
    /// How long a command may keep retrying before the conflict surfaces.
    public var timeBudget: Duration
    /// The first wait's upper bound; each retry doubles it.
    public var baseDelay: Duration
    /// The longest wait.
    public var maximumDelay: Duration

    /// Creates a policy; by default up to 10 seconds of retries, waiting
    /// between 0 and 1 ms, then 2, 4… up to 100 ms.
    public init(maximumAttempts: Int = .max, timeBudget: Duration = .seconds(10),
                baseDelay: Duration = .milliseconds(1), maximumDelay: Duration = .milliseconds(100)) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.timeBudget = timeBudget
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait before the next attempt, or `nil` when the budget is spent.
    func delay(afterAttempt attempt: Int, elapsed: Duration) -> Duration? {
        guard attempt < maximumAttempts, elapsed < timeBudget else { return nil }
        let ceiling = min(maximumDelay, baseDelay * (1 << min(attempt - 1, 20)))
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(0, nanoseconds)))
    }
}
