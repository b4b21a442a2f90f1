/// An event's payload with its type name and schema version, as stored or
/// as an upcaster turns it into a newer form.
public struct StoredPayload: Hashable, Sendable {
    /// The type name.
    public var type: String
    /// The schema version.
    public var schemaVersion: UInt16
    /// The encoded payload.
    public var payload: [UInt8]

    /// Creates a payload.
    public init(type: String, schemaVersion: UInt16, payload: [UInt8]) {
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
    }
}
