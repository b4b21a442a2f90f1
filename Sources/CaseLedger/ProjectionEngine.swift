import Foundation
import Logging

/// Runs asynchronous projections: each catches up from its checkpoint, then
/// follows live appends; state and checkpoint are saved together in one
/// transaction of the store, so after a crash a projection resumes where its
/// last save left it and ends with the state of one uninterrupted run
/// (exactly once).
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
    var slots: [AnyProjectionSlot] = []
    var eventsSinceSave = 0
    var saving = false
    var follower: Task<Void, Never>?
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

    /// Registers a projection and loads its saved state, if any.
    ///
    /// - Throws: ``ProjectionError`` when the name is taken or the saved
    ///   state cannot be decoded (the projection's state type changed: rebuild it).
    public func register<P: Projection>(_ projection: P) async throws {
        guard slot(named: P.name) == nil else {
            throw ProjectionError(projection: P.name, message: "a projection with this name is already registered")
        }
        let slot = ProjectionSlot(projection)
        if let saved = try await store.loadProjection(slot: P.name) {
            do throws(CodecError) {
                try slot.load(saved)
            } catch {
                throw ProjectionError(projection: P.name, message: "the saved state does not decode (\(error)); rebuild the projection")
            }
        }
        slots.append(slot)
    }

    /// The registered projections' names, in registration order.
    public var names: [String] { slots.map(\.name) }

    func slot(named name: String) -> AnyProjectionSlot? { slots.first { $0.name == name } }

    /// The current state of a projection.
    public func state<P: Projection>(of type: P.Type) throws -> P.State {
        guard let slot = slot(named: P.name) as? ProjectionSlot<P> else {
            throw ProjectionError(projection: P.name, message: "not registered")
        }
        return slot.state
    }

    /// A projection's checkpoint: the position of the last event it folded.
    public func checkpoint(of name: String) -> UInt64? { slot(named: name)?.checkpoint }

    /// The lowest checkpoint of all projections.
    public var position: UInt64 { slots.map(\.checkpoint).min() ?? 0 }

    /// A projection's state digest.
    public func digest(of name: String) throws -> String {
        guard let slot = slot(named: name) else { throw ProjectionError(projection: name, message: "not registered") }
        return ProjectionDigest.of(encoded: try slot.encodeState())
    }

    /// Every projection's digest, by name.
    public func digests() throws -> [String: String] {
        var out: [String: String] = [:]
        for slot in slots { out[slot.name] = ProjectionDigest.of(encoded: try slot.encodeState()) }
        return out
    }

    /// Folds every event up to the head into every projection, saving along
    /// the way and at the end. Returns the position reached.
    @discardableResult
    public func catchUp() async throws -> UInt64 {
        let reached = try await ProjectionFold.run(
            store: store, registry: registry, slots: slots, pageSize: options.pageSize
        ) { [self] count, _ in
            try await self.noteProgress(count)
        }
        try await save()
        return reached
    }

    func noteProgress(_ count: Int) async throws {
        eventsSinceSave += count
        if eventsSinceSave >= options.saveEvery { try await save() }
    }

    /// Saves every projection's state with its checkpoint, in one transaction.
    public func save() async throws {
        guard !saving else { return }
        saving = true
        defer { saving = false }
        var writes: [ReadModelWrite] = []
        for slot in slots {
            writes.append(.saveProjection(slot: slot.name, StoredProjection(checkpoint: slot.checkpoint, state: try slot.encodeState())))
        }
        eventsSinceSave = 0
        try await store.writeReadModels(writes)
    }

    /// Waits until every projection has folded the event at `position`.
    public func waitUntilCaughtUp(to position: UInt64) async throws {
        while self.position < position {
            try await catchUp()
            if self.position < position {
                _ = try await store.waitForHead(beyond: self.position)
            }
        }
    }

    /// Catches up, then follows live appends in a task until ``stop()``.
    public func start() async throws {
        try await catchUp()
        guard follower == nil else { return }
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

    func stopped(by error: any Error) {
        lastError = error
        logger.error("projection engine stopped", metadata: ["error": "\(error)"])
    }

    /// Stops following and saves.
    public func stop() async throws {
        follower?.cancel()
        follower = nil
        try await save()
    }
}
