import Foundation

/// What is recorded about an event besides its payload.
///
/// `recordedAt` is set by the caller for a deterministic log (the workload
/// generator derives it from its seed); when `nil` the store stamps the event
/// with its clock when it commits.
///
/// ```swift
/// var metadata = EventMetadata(actor: "officer-0042")
/// metadata.correlationID = UUID()
/// metadata.properties["channel"] = "evaluation-app"
/// ```
public struct EventMetadata: Hashable, Sendable {
    /// When the event was recorded. `nil` asks the store to stamp it.
    public var recordedAt: Timestamp?
    /// The id shared by every event of one business conversation.
    public var correlationID: UUID?
    /// The id of the event or command that caused this event.
    public var causationID: UUID?
    /// Who acted: an officer, a citizen, a system component.
    public var actor: String?
    /// Free key-value pairs. Stored sorted by key, so the order of insertion
    /// never changes the stored bytes.
    public var properties: [String: String]

    /// Creates metadata.
    public init(
        recordedAt: Timestamp? = nil,
        correlationID: UUID? = nil,
        causationID: UUID? = nil,
        actor: String? = nil,
        properties: [String: String] = [:]
    ) {
        self.recordedAt = recordedAt
        self.correlationID = correlationID
        self.causationID = causationID
        self.actor = actor
        self.properties = properties
    }
}
