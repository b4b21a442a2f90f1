/// A record as a backend keeps it: the position it is stored under and its
/// stored bytes (canonical bytes followed by the 32-byte audit hash).
public struct StoredRecord: Hashable, Sendable {
    /// The position the backend stores it under (its key).
    public var position: UInt64
    /// The stored value.
    public var bytes: [UInt8]

    /// Creates a stored record.
    public init(position: UInt64, bytes: [UInt8]) {
        self.position = position
        self.bytes = bytes
    }
}
