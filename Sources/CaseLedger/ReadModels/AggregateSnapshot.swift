/// An aggregate's state saved at a stream version, tagged with the schema
/// version of the state's type so that a changed type never decodes it wrongly.
public struct AggregateSnapshot: Hashable, Sendable {
    /// The stream version the state includes.
    public var version: UInt64
    /// The schema version of the state's type when it was saved.
    public var schemaVersion: UInt16
    /// The encoded state.
    public var state: [UInt8]

    /// Creates a snapshot.
    public init(version: UInt64, schemaVersion: UInt16, state: [UInt8]) {
        self.version = version
        self.schemaVersion = schemaVersion
        self.state = state
    }
}
