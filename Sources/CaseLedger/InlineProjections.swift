import Synchronization

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
    private struct State: @unchecked Sendable {
        var committed: [AnyProjectionSlot]
        var working: [AnyProjectionSlot]?
    }

    let registry: EventTypeRegistry
    private let state: Mutex<State>

    /// Creates the set of inline projections.
    public init(registry: EventTypeRegistry, _ projections: [any Projection]) {
        self.registry = registry
        func slot<P: Projection>(_ p: P) -> AnyProjectionSlot { ProjectionSlot(p) }
        self.state = Mutex(State(committed: projections.map { slot($0) }))
    }

    /// The projections' names.
    public var names: [String] { state.withLock { $0.committed.map(\.name) } }

    /// A projection's committed state.
    public func state<P: Projection>(of type: P.Type) -> P.State? {
        state.withLock { s in (s.committed.first { $0.name == P.name } as? ProjectionSlot<P>)?.state }
    }

    /// A projection's committed checkpoint.
    public func checkpoint(of name: String) -> UInt64? {
        state.withLock { s in s.committed.first { $0.name == name }?.checkpoint }
    }

    /// Each projection's digest, by name.
    public func digests() throws(CodecError) -> [String: String] {
        let slots = state.withLock { $0.committed.map { $0.copy() } }
        var out: [String: String] = [:]
        for slot in slots { out[slot.name] = ProjectionDigest.of(encoded: try slot.encodeState()) }
        return out
    }

    // MARK: The backend's side

    /// Brings the committed states in line with storage, inside the backend's
    /// transaction: a slot whose stored checkpoint differs (another process
    /// appended) is reloaded, then every slot folds the events it lacks up to
    /// `head`.
    package func synchronize(
        head: UInt64,
        stored: (String) throws(EventStoreError) -> StoredProjection?,
        events: (UInt64, UInt64) throws(EventStoreError) -> [RecordedEvent]
    ) throws(EventStoreError) {
        var slots = state.withLock { $0.committed }
        var changed = false
        for i in slots.indices {
            let saved = try stored(slots[i].name)
            if (saved?.checkpoint ?? 0) != slots[i].checkpoint {
                let fresh = slots[i].fresh()
                if let saved {
                    do throws(CodecError) { try fresh.load(saved) } catch {
                        throw EventStoreError(code: .projectionRejected, message: "inline projection \(fresh.name): stored state does not decode: \(error)")
                    }
                }
                slots[i] = fresh
                changed = true
            }
        }
        var low = slots.map(\.checkpoint).min() ?? head
        while low < head {
            let page = try events(low + 1, min(head, low + 4_096))
            guard !page.isEmpty else { break }
            do throws(ProjectionError) {
                _ = try ProjectionFold.apply(page, to: slots, registry: registry)
            } catch {
                throw EventStoreError(code: .projectionRejected, message: "\(error)")
            }
            changed = true
            low = slots.map(\.checkpoint).min() ?? head
        }
        if changed { state.withLock { $0.committed = slots } }
    }

    /// Starts a transaction's work.
    package func begin() {
        state.withLock { s in s.working = s.committed.map { $0.copy() } }
    }

    /// Folds one append's records; on failure the working state is left as it was.
    package func stage(_ records: [RecordedEvent]) throws(EventStoreError) {
        let current = state.withLock { s in s.working ?? s.committed.map { $0.copy() } }
        let candidate = current.map { $0.copy() }
        do throws(ProjectionError) {
            _ = try ProjectionFold.apply(records, to: candidate, registry: registry)
        } catch {
            throw EventStoreError(code: .projectionRejected, message: "\(error)", position: error.position)
        }
        state.withLock { $0.working = candidate }
    }

    /// The writes that store the working states with their checkpoints.
    package func stagedWrites() throws(EventStoreError) -> [ReadModelWrite] {
        let working = state.withLock { $0.working ?? [] }
        var writes: [ReadModelWrite] = []
        for slot in working {
            do throws(CodecError) {
                writes.append(.saveProjection(slot: slot.name, StoredProjection(checkpoint: slot.checkpoint, state: try slot.encodeState())))
            } catch {
                throw EventStoreError(code: .projectionRejected, message: "inline projection \(slot.name): \(error)")
            }
        }
        return writes
    }

    /// The transaction committed: the working states become current.
    package func commit() {
        state.withLock { s in
            if let w = s.working { s.committed = w }
            s.working = nil
        }
    }

    /// The transaction was abandoned.
    package func rollback() {
        state.withLock { $0.working = nil }
    }
}
