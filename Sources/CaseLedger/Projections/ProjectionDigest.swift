import Crypto

/// The stable digest of a projection's state: SHA-256 over its canonical
/// (``BinaryCodec``) encoding, in hex. Two folds of the same events give the
/// same digest.
public enum ProjectionDigest {
    /// The digest of encoded state bytes.
    public static func of(encoded bytes: [UInt8]) -> String {
        AuditHash(digest: SHA256.hash(data: bytes)).hex
    }

    /// The digest of a state value.
    public static func of<S: Encodable>(_ state: S) throws(CodecError) -> String {
        of(encoded: try BinaryCodec().encode(state))
    }
}
