/// One stream's part of an append: the stream, the version it must have and
/// the events to add to it.
///
/// Several `StreamAppend`s passed to ``EventStore/append(_:)`` commit in one
/// atomic transaction, in the order given.
public struct StreamAppend: Hashable, Sendable {
    /// The stream to append to.
    public var stream: StreamName
    /// The version the stream must have before this part is written.
    public var expectedVersion: ExpectedVersion
    /// The events, in order. Must not be empty.
    public var events: [EventData]

    /// Creates one stream's part of an append.
    public init(stream: StreamName, expectedVersion: ExpectedVersion = .any, events: [EventData]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}
