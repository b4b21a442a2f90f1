/// What an append to one stream wrote.
public struct AppendResult: Hashable, Sendable {
    /// The global positions of the appended events, in order. For an
    /// idempotent repeat these are the positions written the first time.
    public var positions: [UInt64]
    /// The stream's version after the append (the version of its last event).
    public var streamVersion: UInt64
    /// `true` when every event was already stored and nothing was written.
    public var wasAlreadyStored: Bool

    /// Creates a result.
    public init(positions: [UInt64], streamVersion: UInt64, wasAlreadyStored: Bool) {
        self.positions = positions
        self.streamVersion = streamVersion
        self.wasAlreadyStored = wasAlreadyStored
    }

    /// The position of the last event.
    public var lastPosition: UInt64 { positions.last ?? 0 }
}

/// What ``EventLog/appendAll(expectingHead:_:)`` wrote.
public struct BulkAppendResult: Hashable, Sendable {
    /// Events written.
    public var events: UInt64
    /// The first position written, when any.
    public var firstPosition: UInt64?
    /// The last position written, when any.
    public var lastPosition: UInt64?
}
