/// A projection's persisted state and the position it reflects, written together.
public struct StoredProjection: Hashable, Sendable {
    /// The position of the last event folded into `state`.
    public var checkpoint: UInt64
    /// The encoded state.
    public var state: [UInt8]

    /// Creates a stored projection.
    public init(checkpoint: UInt64, state: [UInt8]) {
        self.checkpoint = checkpoint
        self.state = state
    }
}
