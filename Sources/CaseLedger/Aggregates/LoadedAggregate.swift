/// An aggregate's state and the stream version it reflects.
public struct LoadedAggregate<A: AggregateRoot>: Sendable {
    /// The state.
    public var state: A
    /// The stream's version (0 for a new stream).
    public var version: UInt64
    /// Whether loading started from a snapshot.
    public var fromSnapshot: Bool
}
