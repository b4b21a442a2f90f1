import Foundation
import Logging

/// Runs asynchronous projections: each catches up from its checkpoint, then
/// follows live appends; state and checkpoint are saved together in one
/// transaction of the store, so after a crash a projection resumes where its
/// last save left it and ends with the state of one uninterrupted run
/// (exactly once).
///
/// The engine owns the projections' states. One fold runs at a time: a
/// catch-up, a save, a state read or a rebuild's switch-over wait for the
/// one in progress (callers that wait for a position while the engine
/// follows live are woken as it folds), so no state is ever folded or saved
/// twice at once. A fold hands the states to its tasks and takes them back
/// (they are `Sendable` values the compiler checks at each hand-over).
///
/// ```swift
/// let engine = ProjectionEngine(store: store, registry: registry)
/// try await engine.register(TicketBoardProjection())
/// try await engine.start()                      // catch up, then follow live
/// let position = try await store.append(events, to: stream).lastPosition
/// try await engine.waitUntilCaughtUp(to: position)
/// let board = try await engine.state(of: TicketBoardProjection.self)
/// ```
public actor ProjectionEngine {
    let store: any ReadModelStore
    let registry: EventTypeRegistry
    let options: ProjectionOptions
    let logger: Logger
    /// The projections, in registration order. Empty while a fold has them.
    var slots: [any FoldSlot] = []
    /// Whether the states are in use (a fold, a save, a switch-over).
    private var busy = false
    /// Callers waiting for the states, in arrival order.
    private var queued: [CheckedContinuation<Void, Never>] = []
    /// Callers waiting for the next window to end while the follower runs.
    private var progressWaiters: [CheckedContinuation<Void, Never>] = []
    private var eventsSinceSave = 0
    /// The lowest checkpoint as of the last window folded: what waiters
    /// compare against without waiting for the states.
    private var reached: UInt64 = 0
    private var follower: Task<Void, Never>?
    /// The error that stopped following, if any.
    public private(set) var lastError: (any Error)?

    /// Creates an engine over a store.
    ///
    /// - Parameters:
    ///   - store: where events are read and states saved.
    ///   - registry: decodes events.
    ///   - options: page size and save interval.
    ///   - logger: where the engine logs.
    public init(store: any ReadModelStore, registry: EventTypeRegistry, options: ProjectionOptions = ProjectionOptions(),
                logger: Logger = Logger(label: "caseledger.projections", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.store = store
        self.registry = registry
        self.options = options
        self.logger = logger
    }

    // MARK: Exclusive use of the states

    /// Runs `body` while no other fold, save or read of the states runs.
    func exclusively<T>(_ body: () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { queued.append($0) }
        } else {
            busy = true
        }
        defer {
            // Hand the states straight to the next caller, in order.
            if queued.isEmpty { busy = false } else { queued.removeFirst().resume() }
        }
        return try await body()
    }

    // MARK: Registering and reading

    /// Registers a projection and loads its saved state, if any.
    ///
    /// - Throws: ``ProjectionError`` when the name is taken or the saved
    ///   state cannot be decoded (the projection's state type changed: rebuild it).
    public func register<P: Projection>(_ projection: P) async throws {
        let saved = try await store.loadProjection(slot: P.name)
        try await exclusively {
            guard !slots.contains(where: { $0.name == P.name }) else {
                throw ProjectionError(projection: P.name, message: "a projection with this name is already registered")
            }
            var slot = ProjectionSlot(projection)
            if let saved {
                do throws(CodecError) {
                    try slot.load(saved)
                } catch {
                    throw ProjectionError(projection: P.name, message: "the saved state does not decode (\(error)); rebuild the projection")
                }
            }
            slots.append(slot)
            reached = lowest
        }
    }

    /// The registered projections' names, in registration order.
    public var names: [String] {
        get async throws { try await exclusively { slots.map(\.name) } }
    }

    /// The current state of a projection.
    public func state<P: Projection>(of type: P.Type) async throws -> P.State {
        try await exclusively {
            guard let state = slots.first(where: { $0.name == P.name })?.anyState as? P.State else {
                throw ProjectionError(projection: P.name, message: "not registered")
            }
            return state
        }
    }

    /// A projection's checkpoint: the position of the last event it folded.
    public func checkpoint(of name: String) async throws -> UInt64? {
        try await exclusively { slots.first { $0.name == name }?.checkpoint }
    }

    /// The lowest checkpoint of all projections.
    public var position: UInt64 {
        get async throws { try await exclusively { lowest } }
    }

    private var lowest: UInt64 { slots.map(\.checkpoint).min() ?? 0 }

    /// A projection's state digest.
    public func digest(of name: String) async throws -> String {
        try await exclusively {
            guard let slot = slots.first(where: { $0.name == name }) else { throw ProjectionError(projection: name, message: "not registered") }
            return ProjectionDigest.of(encoded: try slot.encodeState())
        }
    }

    /// Every projection's digest, by name.
    public func digests() async throws -> [String: String] {
        try await exclusively {
            var out: [String: String] = [:]
            for slot in slots { out[slot.name] = ProjectionDigest.of(encoded: try slot.encodeState()) }
            return out
        }
    }

    /// Every projection's state, digest and the lowest checkpoint, taken at
    /// one moment (no fold runs meanwhile).
    ///
    /// ```swift
    /// let now = try await engine.snapshot()
    /// print(now.position, now.state(of: TicketBoardProjection.self)?.open.count ?? 0)
    /// ```
    public func snapshot() async throws -> ProjectionReplay {
        try await exclusively {
            var digests: [String: String] = [:]
            var states: [String: any Sendable] = [:]
            for slot in slots {
                digests[slot.name] = ProjectionDigest.of(encoded: try slot.encodeState())
                states[slot.name] = slot.anyState
            }
            return ProjectionReplay(position: lowest, digests: digests, states: states)
        }
    }

    // MARK: Folding and saving

    /// Folds every event up to the head into every projection, saving along
    /// the way and at the end. Returns the position reached.
    @discardableResult
    public func catchUp() async throws -> UInt64 {
        try await exclusively { try await foldToHead() }
    }

    /// Folds to the head, saving every `saveEvery` events and at the end when
    /// anything changed. The caller holds the states.
    private func foldToHead() async throws -> UInt64 {
        var working = slots
        slots = []
        defer {
            slots = working
            reached = lowest
            wakeProgressWaiters()
        }
        let low = try await FoldRunner.run(store: store, registry: registry, slots: &working, pageSize: options.pageSize) { read, _, folded in
            eventsSinceSave += read
            if eventsSinceSave >= options.saveEvery { try await save(folded) }
        }
        if eventsSinceSave > 0 { try await save(working) }
        return low.low
    }

    /// Saves every projection's state with its checkpoint, in one transaction.
    public func save() async throws {
        try await exclusively { try await save(slots) }
    }

    private func save(_ slots: [any FoldSlot]) async throws {
        guard options.savesState else {
            eventsSinceSave = 0
            return
        }
        var writes: [ReadModelWrite] = []
        for slot in slots {
            writes.append(.saveProjection(slot: slot.name, StoredProjection(checkpoint: slot.checkpoint, state: try slot.encodeState())))
        }
        try await store.writeReadModels(writes)
        eventsSinceSave = 0
    }

    // MARK: Following

    /// Waits until every projection has folded the event at `position`.
    ///
    /// While the engine follows live (``start()``) this waits for its folds;
    /// otherwise it catches up itself.
    public func waitUntilCaughtUp(to position: UInt64) async throws {
        while reached < position {
            if follower != nil {
                if let lastError { throw lastError }
                await withCheckedContinuation { progressWaiters.append($0) }
            } else {
                let reached = try await catchUp()
                if reached < position { _ = try await store.waitForHead(beyond: reached) }
            }
        }
    }

    private func wakeProgressWaiters() {
        let waiters = progressWaiters
        progressWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Catches up, then follows live appends in a task until ``stop()``.
    public func start() async throws {
        try await catchUp()
        guard follower == nil else { return }
        lastError = nil
        follower = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                do {
                    let reached = try await self.catchUp()
                    if try await self.store.waitForHead(beyond: reached) == nil { return }
                } catch {
                    await self.stopped(by: error)
                    return
                }
            }
        }
    }

    private func stopped(by error: any Error) {
        lastError = error
        follower = nil
        logger.error("projection engine stopped", metadata: ["error": "\(error)"])
        wakeProgressWaiters()
    }

    /// Stops following and saves.
    public func stop() async throws {
        let task = follower
        follower = nil
        task?.cancel()
        await task?.value
        wakeProgressWaiters()
        try await save()
    }
}
