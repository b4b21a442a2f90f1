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
    /// The state saved in a projection slot with every row of the named
    /// tables, read in one snapshot, or `nil`.
    func loadProjection(slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection?
    /// The saved rows of a slot's table in `range`, in key order (UTF-8 bytes).
    func loadRows(slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow]
    /// The latest snapshot saved for a stream, or `nil`.
    func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot?
    /// Applies the writes in one atomic transaction.
    func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError)
    /// Every projection slot's name, sorted.
    func projectionSlots() async throws(EventStoreError) -> [String]
}

extension ReadModelStore {
    /// The state saved in a projection slot (without rows), or `nil`.
    public func loadProjection(slot: String) async throws(EventStoreError) -> StoredProjection? {
        try await loadProjection(slot: slot, tables: [])
    }
}
