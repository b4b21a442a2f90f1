/// Turns Codable values into payload bytes and back; deterministic: the same
/// value always gives the same bytes.
///
/// ``BinaryCodec`` is the fast default for stored events and projection
/// state; ``JSONCodec`` is kept for export and display.
public protocol EventCodec: Sendable {
    /// A short name recorded in manifests (`binary`, `json`).
    var name: String { get }
    /// Encodes a value.
    func encode<T: Encodable>(_ value: T) throws(CodecError) -> [UInt8]
    /// Decodes a value.
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(CodecError) -> T
}
