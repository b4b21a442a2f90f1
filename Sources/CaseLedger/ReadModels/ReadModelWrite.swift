/// One change to read-model storage; a list of them commits atomically.
public enum ReadModelWrite: Hashable, Sendable {
    /// Stores a projection's state and checkpoint in a slot.
    case saveProjection(slot: String, StoredProjection)
    /// Removes a slot.
    case deleteProjection(slot: String)
    /// Stores an aggregate snapshot for a stream.
    case saveSnapshot(stream: String, AggregateSnapshot)
}
