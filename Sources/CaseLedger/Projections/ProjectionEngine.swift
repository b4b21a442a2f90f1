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
    /// When the oldest unsaved fold happened.
    private var dirtySince: ContinuousClock.Instant?
    var follower: Task<Void, any Error>?
    /// The error that stopped following, if any.
    public private(set) var lastError: (any Error)?
    /// What the engine is doing.
    var runState: ProjectionRunState = .idle
    /// Each projection's checkpoint as last saved.
    var saved: [String: UInt64] = [:]
    /// Whether this engine may save: false while it stands by for
    /// leadership (``follow(leadership:name:)``).
    private var leads = true

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
        var slot = ProjectionSlot(projection)
        if let problem = slot.tableProblem { throw ProjectionError(projection: P.name, message: problem) }
        let saved = try await store.loadProjection(slot: P.name, tables: slot.tableNames)
        try await exclusively {
            guard !slots.contains(where: { $0.name == P.name }) else {
                throw ProjectionError(projection: P.name, message: "a projection with this name is already registered")
            }
            if let saved {
                do throws(CodecError) {
                    try slot.load(saved, from: P.name)
                } catch {
                    throw ProjectionError(projection: P.name, message: "the saved state does not decode (\(error)); rebuild the projection")
                }
                self.saved[P.name] = saved.checkpoint
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
    /// the way and at the end. Returns the position reached: the head, or,
    /// when the task is cancelled, where folding stopped (between two
    /// windows; what was folded is saved).
    @discardableResult
    public func catchUp() async throws -> UInt64 {
        let position = try await exclusively { try await foldToHead(saveAtEnd: true) }
        await reportProgress()
        return position
    }

    /// Folds to the head, saving every `saveEvery` events; at the end saves
    /// what changed when `saveAtEnd`, else only when a save is due. The
    /// caller holds the states.
    ///
    /// With `through`, folds up to that position even when the task is
    /// cancelled (the last fold of a follower that stops); otherwise to the
    /// head, stopping between windows when cancelled.
    private func foldToHead(saveAtEnd: Bool, through last: UInt64? = nil) async throws -> UInt64 {
        var working = slots
        slots = []
        defer {
            slots = working
            reached = lowest
            wakeProgressWaiters()
        }
        let low = try await FoldRunner.run(store: store, registry: registry, slots: &working, upTo: last, pageSize: options.pageSize,
                                           stopsWhenCancelled: last == nil) { read, _, folded in
            if read > 0, dirtySince == nil { dirtySince = .now }
            eventsSinceSave += read
            if eventsSinceSave >= options.saveEvery { try await save(&folded) }
        }
        if eventsSinceSave > 0, saveAtEnd || saveDue { try await save(&working) }
        return low.low
    }

    /// Whether unsaved work has waited ``ProjectionOptions/saveInterval``.
    private var saveDue: Bool {
        guard let dirtySince else { return false }
        return ContinuousClock.now >= dirtySince + options.saveInterval
    }

    /// Saves every projection's state with its checkpoint, in one transaction.
    public func save() async throws {
        try await exclusively { try await saveSlots() }
    }

    /// Saves the engine's own slots (held exclusively by the caller).
    private func saveSlots() async throws {
        var working = slots
        try await save(&working)
        slots = working
    }

    /// Saves the slots (the state and the rows changed since the last save,
    /// with the checkpoint) in one transaction; they are marked saved once
    /// it commits.
    private func save(_ slots: inout [any FoldSlot]) async throws {
        guard options.savesState && leads else {
            eventsSinceSave = 0
            dirtySince = nil
            return
        }
        try await Self.write(&slots, to: store, rebuilding: false, logger: logger)
        eventsSinceSave = 0
        dirtySince = nil
        for slot in slots { saved[slot.name] = slot.checkpoint }
    }

    /// Saves slots in one transaction, each under its name (its rebuild
    /// slot's, when `rebuilding`), and
    /// marks them saved once it commits. When another writer saved one of
    /// them since this engine last did (``EventStoreError/Code/readModelConflict``),
    /// they are saved whole instead: the last writer wins, and no slot is
    /// left half one writer's, half the other's.
    static func write(_ slots: inout [any FoldSlot], to store: any ReadModelStore, rebuilding: Bool, logger: Logger) async throws {
        let names = slots.map { rebuilding ? rebuildSlot(of: $0.name) : $0.name }
        var writes: [ReadModelWrite] = []
        for (slot, name) in zip(slots, names) { writes += try slot.saveWrites(as: name) }
        var conflict = false
        do {
            try await store.writeReadModels(writes)
        } catch {
            // writeReadModels throws EventStoreError only.
            guard error.code == .readModelConflict else { throw error }
            logger.warning("a read model was saved by another writer; saving whole", metadata: ["error": "\(error)"])
            conflict = true
        }
        if conflict {
            for i in slots.indices { slots[i].forgetSaved() }
            var whole: [ReadModelWrite] = []
            for (slot, name) in zip(slots, names) { whole += try slot.saveWrites(as: name) }
            try await store.writeReadModels(whole)
        }
        for i in slots.indices { slots[i].markSaved(as: names[i]) }
    }

    // MARK: Following

    /// Waits until every projection has folded the event at `position`.
    ///
    /// While the engine follows live (``start()``, ``follow()``) this waits
    /// for its folds; otherwise it catches up itself. Folded is visible:
    /// the state may not be saved yet.
    public func waitUntilCaughtUp(to position: UInt64) async throws {
        while reached < position {
            // A cancelled catch-up stops early; so does the wait.
            try Task.checkCancellation()
            if follower != nil {
                if let lastError { throw lastError }
                await withCheckedContinuation { progressWaiters.append($0) }
            } else {
                if let lastError { throw lastError }
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
        guard follower == nil else { return }
        runState = .catchingUp
        do {
            try await catchUp()
        } catch {
            stopped(by: error)
            throw error
        }
        guard follower == nil else { return }
        lastError = nil
        runState = .live
        follower = Task { try await self.followLoop() }
    }

    /// Catches up, then follows live appends in the calling task until the
    /// task is cancelled or ``stop()`` is called; saves what it folded, then
    /// returns. A failure stops following and is thrown.
    ///
    /// ```swift
    /// let following = Task { try await engine.follow() }
    /// // … serve requests …
    /// following.cancel()
    /// try await following.value      // saved
    /// ```
    public func follow() async throws {
        try await start()
        guard let task = follower else { return }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        if follower == task { follower = nil }
        if runState == .live { runState = .stopped }
    }

    /// Follows live appends only while this process leads `name` (see
    /// ``ProjectionLeadership``): standing by meanwhile, it starts each term
    /// from the saved states and checkpoints (what another leader saved),
    /// and saves when its term ends. Returns when the task is cancelled.
    ///
    /// ```swift
    /// let following = Task { try await engine.follow(leadership: PostgresLeadership(store: store), name: "city") }
    /// ```
    ///
    /// While standing by, the engine saves nothing: ``catchUp()`` and
    /// ``waitUntilCaughtUp(to:)`` still fold (so a replica can serve reads),
    /// in memory only, and each term starts again from what was saved.
    public func follow(leadership: any ProjectionLeadership, name: String) async throws {
        leads = false
        runState = .standby
        defer { leads = true }
        do {
            try await leadership.lead(name) { [self] in
                try await self.beginTerm()
                do {
                    try await self.follow()
                } catch {
                    await self.endTerm()
                    throw error
                }
                await self.endTerm()
            }
        } catch where Task.isCancelled {
            // Cancelled (while standing by, or while leading, after saving):
            // whatever the leadership threw on the way out.
            logger.debug("stopped following with leadership", metadata: ["error": "\(error)"])
        }
        if case .failed = runState {} else { runState = .stopped }
    }

    /// A term starts: what another leader saved is where folding resumes.
    private func beginTerm() async throws {
        try await reloadSaved()
        leads = true
    }

    /// A term ended (lost, or the task cancelled): stand by, saving nothing.
    private func endTerm() {
        leads = false
        if case .failed = runState { return }
        runState = .standby
    }

    /// Replaces every state with the one saved (or the initial state when
    /// none is), dropping what was folded and not saved.
    func reloadSaved() async throws {
        let names = try await exclusively { slots.map { ($0.name, $0.tableNames) } }
        var stored: [String: StoredProjection] = [:]
        for (name, tables) in names {
            if let s = try await store.loadProjection(slot: name, tables: tables) { stored[name] = s }
        }
        try await exclusively {
            for i in slots.indices {
                let name = slots[i].name
                var slot = slots[i].fresh()
                if let s = stored[name] {
                    do throws(CodecError) {
                        try slot.load(s, from: name)
                    } catch {
                        throw ProjectionError(projection: name, message: "the saved state does not decode (\(error)); rebuild the projection")
                    }
                }
                saved[name] = stored[name]?.checkpoint
                slots[i] = slot
            }
            eventsSinceSave = 0
            dirtySince = nil
            reached = lowest
        }
    }

    /// Folds each commit as it comes; saves when due, and before returning.
    private func followLoop() async throws {
        var position = reached
        do {
            while !Task.isCancelled {
                let deadline = eventsSinceSave > 0 ? dirtySince.map { $0 + options.saveInterval } : nil
                let more: Bool
                do {
                    more = try await Self.waitForWork(store: store, beyond: position, until: deadline)
                } catch {
                    // A backend whose reads honour cancellation (PostgreSQL)
                    // fails the one under way when the follower is stopped:
                    // that is the stop, not a failure.
                    if Task.isCancelled { break }
                    throw error
                }
                guard more else { break }
                if Task.isCancelled { break }
                do {
                    position = try await exclusively { try await foldToHead(saveAtEnd: false) }
                } catch {
                    // Likewise; what was folded before the read failed stays
                    // folded (each state with its own checkpoint).
                    if Task.isCancelled { break }
                    throw error
                }
                await reportProgress()
            }
            // Stopping: what was committed before the stop (a live follower
            // is a commit or two behind) is folded, then everything is saved,
            // in a task of its own: this one is cancelled, and a backend
            // whose reads honour cancellation would refuse them.
            try await Task { try await self.finishFollowing() }.value
        } catch {
            stopped(by: error)
            throw error
        }
    }

    /// Folds up to the head as it is now and saves (the end of following).
    private func finishFollowing() async throws {
        // A closed store has nothing more to give: fold nothing then.
        let head = (try? await store.head().position) ?? reached
        try await exclusively {
            if reached < head { _ = try await foldToHead(saveAtEnd: false, through: head) }
            if eventsSinceSave > 0 { try await saveSlots() }
        }
    }

    /// Waits for a commit beyond `position` or for `deadline`; `false` when
    /// the store closed.
    private nonisolated static func waitForWork(store: any ReadModelStore, beyond position: UInt64,
                                                until deadline: ContinuousClock.Instant?) async throws -> Bool {
        guard let deadline else { return try await store.waitForHead(beyond: position) != nil }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await store.waitForHead(beyond: position) != nil }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return true
            }
            let first = try await group.next() ?? true
            group.cancelAll()
            return first
        }
    }

    private func stopped(by error: any Error) {
        lastError = error
        follower = nil
        runState = .failed("\(error)")
        logger.error("projection engine stopped", metadata: ["error": "\(error)"])
        wakeProgressWaiters()
    }

    /// Stops following and saves. A failure that stopped the engine earlier
    /// stays in ``lastError``.
    public func stop() async throws {
        let task = follower
        follower = nil
        task?.cancel()
        _ = try? await task?.value
        if case .failed = runState {} else { runState = .stopped }
        wakeProgressWaiters()
        try await save()
    }
}
