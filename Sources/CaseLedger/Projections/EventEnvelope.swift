/// A typed event with the record it came from, as projections and
/// aggregates receive it.
public struct EventEnvelope: Sendable {
    /// The decoded event, in its current type (after upcasting).
    public let event: any DomainEvent
    /// The stored record: position, stream, version, metadata, hash.
    public let record: RecordedEvent

    /// Creates an envelope.
    public init(event: any DomainEvent, record: RecordedEvent) {
        self.event = event
        self.record = record
    }

    /// The global position.
    public var position: UInt64 { record.position }
    /// When the event was recorded.
    public var recordedAt: Timestamp { record.recordedAt }
    /// The stream.
    public var stream: StreamName { record.stream }
}
