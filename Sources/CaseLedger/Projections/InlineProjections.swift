/// Projections updated inside the append's own transaction: a read right
/// after an append returns sees its events, and the state is stored with its
/// checkpoint in the same commit as the events.
///
/// An inline projection that throws refuses the append
/// (``EventStoreError/Code/projectionRejected``) and nothing is written. The
/// whole state is written with every commit, so keep inline read models
/// small (uniqueness indexes, counters, lookups); large read models run
/// asynchronously in a ``ProjectionEngine``.
///
/// ```swift
/// let inline = InlineProjections(registry: registry, [OpenTicketCount()])
/// let store = InMemoryEventStore(inlineProjections: inline)
/// _ = try await store.append([try registry.encode(filed)], to: stream)
/// print(inline.state(of: OpenTicketCount.self)!) // already counts it
/// ```
public final class InlineProjections: Sendable {
    let registry: EventTypeRegistry
    /// The projections at their initial state: where the store's writer starts.
    let initial: [any FoldSlot]
    /// The states as of the last commit, for readers. Only the store's writer
    /// task folds; it publishes here after each commit.
    private let committed: Locked<[any FoldSlot]>

    /// Creates the set of inline projections.
    public init(registry: EventTypeRegistry, _ projections: [any Projection]) {
        self.registry = registry
        func slot<P: Projection>(_ p: P) -> any FoldSlot { ProjectionSlot(p) }
        self.initial = projections.map { slot($0) }
        self.committed = Locked(initial)
    }

    /// The projections' names.
    public var names: [String] { initial.map(\.name) }

    /// A projection's committed state.
    public func state<P: Projection>(of type: P.Type) -> P.State? {
        committed.withLock { slots in slots.first { $0.name == P.name }?.anyState as? P.State }
    }

    /// A projection's committed checkpoint.
    public func checkpoint(of name: String) -> UInt64? {
        committed.withLock { slots in slots.first { $0.name == name }?.checkpoint }
    }

    /// Each projection's digest, by name.
    public func digests() throws(CodecError) -> [String: String] {
        let slots = committed.withLock { $0 }
        var out: [String: String] = [:]
        for slot in slots { out[slot.name] = ProjectionDigest.of(encoded: try slot.encodeState()) }
        return out
    }

    /// Makes the writer's states after a commit the ones readers see.
    func publish(_ slots: [any FoldSlot]) {
        committed.withLock { $0 = slots }
    }
}

/// The store writer's side of inline projections: the working states, kept
/// by the writer task alone and folded inside each write transaction.
struct InlineFold {
    let projections: InlineProjections
    /// The states as of the last commit this writer made.
    private(set) var slots: [any FoldSlot]

    init(_ projections: InlineProjections) {
        self.projections = projections
        self.slots = projections.initial
    }

    /// Brings the states in line with storage inside a transaction: a slot
    /// whose stored checkpoint differs from its own (another process
    /// appended, or this is the first transaction) is reloaded, then every
    /// slot folds the records it lacks up to `head`.
    ///
    /// - Returns: the states to fold the transaction's records into.
    func synchronized<T: EventStorageTransaction>(in txn: T, head: UInt64) async throws(EventStoreError) -> [any FoldSlot] {
        var working = slots
        for i in working.indices {
            let saved = try await txn.projection(working[i].name, tables: [])
            guard (saved?.checkpoint ?? 0) != working[i].checkpoint else { continue }
            var fresh = working[i].fresh()
            if var saved {
                if !fresh.tableNames.isEmpty, let withRows = try await txn.projection(fresh.name, tables: fresh.tableNames) { saved = withRows }
                do throws(CodecError) { try fresh.load(saved, from: fresh.name) } catch {
                    throw EventStoreError(code: .projectionRejected, message: "inline projection \(fresh.name): the stored state does not decode (\(error))")
                }
            }
            working[i] = fresh
        }
        var fold = Fold(slots: working, registry: projections.registry)
        working = []
        guard let low = fold.lowestCheckpoint, low < head else { return fold.slots }
        do {
            try await txn.scanLog(from: low + 1, through: head) { _, stored in
                try fold.visit(try RecordView(stored: stored))
            }
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw EventStoreError(code: .projectionRejected, message: "\(error)", position: (error as? ProjectionError)?.position)
        }
        fold.finish(through: head)
        return fold.slots
    }

    /// Folds one append's records into a copy of `working`; on success the
    /// copy replaces `working`.
    ///
    /// - Throws: ``EventStoreError/Code/projectionRejected`` naming the
    ///   projection and position; `working` is then unchanged.
    static func stage(_ batch: RecordBatch, into working: inout [any FoldSlot], registry: EventTypeRegistry) throws(EventStoreError) {
        var fold = Fold(slots: working, registry: registry)
        do {
            try batch.visit { try fold.visit($0) }
        } catch {
            throw EventStoreError(code: .projectionRejected, message: "\(error)", position: (error as? ProjectionError)?.position)
        }
        fold.finish(through: batch.lastPosition)
        working = fold.slots
    }

    /// The writes that store the working states with their checkpoints.
    static func writes(_ working: [any FoldSlot]) throws(EventStoreError) -> [ReadModelWrite] {
        var writes: [ReadModelWrite] = []
        for slot in working {
            do {
                if let problem = slot.tableProblem { throw ProjectionError(projection: slot.name, message: problem) }
                writes += try slot.saveWrites(as: slot.name)
            } catch {
                throw EventStoreError(code: .projectionRejected, message: "inline projection \(slot.name): \(error)")
            }
        }
        return writes
    }

    /// The transaction committed with `working`: it becomes current.
    mutating func committed(_ working: [any FoldSlot]) {
        slots = working
        for i in slots.indices { slots[i].markSaved(as: slots[i].name) }
        projections.publish(working)
    }
}
