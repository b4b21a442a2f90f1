/// Turns a stored payload of one (type, schema version) into one or more
/// payloads of newer forms. Stored events are never rewritten: upcasters run
/// on every read, so reads, aggregates and projections see current types only.
public struct Upcaster: Sendable {
    /// The stored type name it reads.
    public let fromType: String
    /// The stored schema version it reads.
    public let fromVersion: UInt16
    let transform: @Sendable (StoredPayload, any EventCodec) throws(CodecError) -> [StoredPayload]

    /// An upcaster working on payload bytes.
    ///
    /// - Parameters:
    ///   - fromType: the type name it reads.
    ///   - fromVersion: the schema version it reads.
    ///   - transform: returns the newer payloads (a rename returns one with a
    ///     new type name; a split returns several).
    public init(fromType: String, fromVersion: UInt16, transform: @escaping @Sendable (StoredPayload, any EventCodec) throws(CodecError) -> [StoredPayload]) {
        self.fromType = fromType
        self.fromVersion = fromVersion
        self.transform = transform
    }
}
