/// The rung of the capability ladder above ``EventStore``: read-model
/// storage in the same database as the log, so that a projection's state and
/// its checkpoint commit in one transaction, and aggregate snapshots.
///
/// ```swift
/// try await store.writeReadModels([
///     .saveProjection(slot: "ticket-board", StoredProjection(checkpoint: 120, state: bytes)),
/// ])
/// let saved = try await store.loadProjection(slot: "ticket-board")
/// ```
public protocol ReadModelStore: EventStore {
    /// The state saved in a projection slot, or `nil`.
    func loadProjection(slot: String) async throws(EventStoreError) -> StoredProjection?
    /// The latest snapshot saved for a stream, or `nil`.
    func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot?
    /// Applies the writes in one atomic transaction.
    func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError)
    /// Every projection slot's name, sorted.
    func projectionSlots() async throws(EventStoreError) -> [String]
}
