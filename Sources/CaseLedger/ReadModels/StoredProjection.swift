/// A projection's persisted state and the position it reflects, written together.
public struct StoredProjection: Hashable, Sendable {
    /// The position of the last event folded into `state`.
    public var checkpoint: UInt64
    /// The encoded state.
    public var state: [UInt8]
    /// The rows of the slot's tables that were asked for, by table name,
    /// each in key order: read in the same snapshot as the checkpoint.
    /// Saving ignores them (rows are written by ``ReadModelWrite/saveRows(slot:table:rows:deleting:)``).
    public var rows: [String: [ReadModelRow]]

    /// Creates a stored projection.
    public init(checkpoint: UInt64, state: [UInt8], rows: [String: [ReadModelRow]] = [:]) {
        self.checkpoint = checkpoint
        self.state = state
        self.rows = rows
    }
}
