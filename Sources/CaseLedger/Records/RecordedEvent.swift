import Foundation

/// An event as stored: its place in the global log and in its stream, its
/// content and the audit hash that chains it to the record before it.
public struct RecordedEvent: Hashable, Sendable {
    /// The global position: 1 for the first event, contiguous, never reused.
    public var position: UInt64
    /// The stream the event belongs to.
    public var stream: StreamName
    /// The event's version in its stream: 1 for the stream's first event.
    public var streamVersion: UInt64
    /// The event id, unique in the store.
    public var id: UUID
    /// The event's type name.
    public var type: String
    /// The payload's schema version.
    public var schemaVersion: UInt16
    /// The payload bytes.
    public var payload: [UInt8]
    /// The metadata; `recordedAt` is always set on a recorded event.
    public var metadata: EventMetadata
    /// `SHA-256(previous record's hash ‖ canonical bytes of this record)`.
    public var hash: AuditHash

    /// Creates a recorded event. Backends and tests use this; applications
    /// receive recorded events from reads.
    public init(
        position: UInt64,
        stream: StreamName,
        streamVersion: UInt64,
        id: UUID,
        type: String,
        schemaVersion: UInt16,
        payload: [UInt8],
        metadata: EventMetadata,
        hash: AuditHash
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
        self.hash = hash
    }

    /// When the event was recorded.
    public var recordedAt: Timestamp {
        metadata.recordedAt ?? Timestamp(microsecondsSince1970: 0)
    }

    /// The category of the event's stream.
    public var category: String { stream.category }
}
