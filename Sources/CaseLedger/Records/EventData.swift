import Foundation

/// An event to append: its id, type name, schema version, payload bytes and metadata.
///
/// The store never interprets the payload; typed events are encoded into
/// `EventData` by an ``EventTypeRegistry``.
///
/// ```swift
/// let event = EventData(type: "TicketFiled", payload: Array(#"{"title":"noise"}"#.utf8))
/// ```
public struct EventData: Hashable, Sendable {
    /// The event's id, unique in the store. Appending again an event with an
    /// id that is already stored is idempotent when the content is the same.
    public var id: UUID
    /// The event's type name.
    public var type: String
    /// The schema version of the payload's type, used by upcasters. At least 1.
    public var schemaVersion: UInt16
    /// The encoded payload.
    public var payload: [UInt8]
    /// The event's metadata.
    public var metadata: EventMetadata

    /// Creates an event to append.
    ///
    /// - Parameters:
    ///   - id: the event id; a time-ordered UUID (`UUID.timeOrdered()`) by
    ///     default. Pass a derived id for a deterministic log and for
    ///     idempotent retries.
    ///   - type: the type name.
    ///   - schemaVersion: the payload's schema version, 1 by default.
    ///   - payload: the payload bytes.
    ///   - metadata: the metadata.
    public init(
        id: UUID = .timeOrdered(),
        type: String,
        schemaVersion: UInt16 = 1,
        payload: [UInt8],
        metadata: EventMetadata = EventMetadata()
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
    }
}
