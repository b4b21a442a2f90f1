import Foundation

/// A compact, deterministic binary form of Codable values, for stored events
/// and projection state.
///
/// Fields are written by position, in the order a type's `encode(to:)` writes
/// them (the declaration order for synthesized conformances); keys are not
/// stored. Integers are LEB128 (zig-zag for signed), strings are
/// length-prefixed UTF-8, optionals carry a presence byte, arrays a count.
/// Dictionaries and sets are written sorted by key, so their bytes do not
/// depend on hashing order.
///
/// Limits: a type whose `init(from:)` asks a keyed container which keys it
/// holds (`allKeys`, `contains`) — enums with associated values among them —
/// cannot be decoded; use structs and raw-value enums in events. Adding a
/// field changes the schema: bump the event's schema version and register an
/// upcaster.
///
/// ```swift
/// struct Rated: Codable { var unit: String; var score: Int }
/// let codec = BinaryCodec()
/// let bytes = try codec.encode(Rated(unit: "court-3", score: 5))
/// let back = try codec.decode(Rated.self, from: bytes)
/// ```
public struct BinaryCodec: EventCodec {
    public var name: String { "binary" }

    /// Creates the codec.
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws(CodecError) -> [UInt8] {
        let encoder = BinaryValueEncoder()
        do {
            try encoder.encodeValue(value)
        } catch let error as CodecError {
            throw error
        } catch {
            throw CodecError("binary encoding of \(T.self) failed: \(error)")
        }
        return encoder.writer.bytes
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(CodecError) -> T {
        if let fast = T.self as? any BinaryDecodableEvent.Type {
            let result: Result<T, CodecError> = bytes.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                do throws(CodecError) {
                    let value = try fast.init(binary: &reader)
                    guard reader.isAtEnd else { throw CodecError("binary decoding of \(T.self) left \(reader.remaining) bytes unread") }
                    return .success(try binaryCast(value, to: T.self))
                } catch {
                    return .failure(error)
                }
            }
            return try result.get()
        }
        let result: Result<T, CodecError> = bytes.withUnsafeBytes { raw in
            let decoder = BinaryValueDecoder(reader: ByteReader(raw))
            do {
                let value: T = try decoder.decodeValue(T.self)
                guard decoder.reader.isAtEnd else {
                    return .failure(CodecError("binary decoding of \(T.self) left \(decoder.reader.remaining) bytes unread"))
                }
                return .success(value)
            } catch let error as CodecError {
                return .failure(error)
            } catch {
                return .failure(CodecError("binary decoding of \(T.self) failed: \(error)"))
            }
        }
        return try result.get()
    }

    /// Decodes from borrowed memory (an LMDB page) without copying it first.
    public func decode<T: Decodable>(_ type: T.Type, from raw: UnsafeRawBufferPointer) throws(CodecError) -> T {
        let decoder = BinaryValueDecoder(reader: ByteReader(raw))
        do {
            let value: T = try decoder.decodeValue(T.self)
            guard decoder.reader.isAtEnd else {
                throw CodecError("binary decoding of \(T.self) left \(decoder.reader.remaining) bytes unread")
            }
            return value
        } catch let error as CodecError {
            throw error
        } catch {
            throw CodecError("binary decoding of \(T.self) failed: \(error)")
        }
    }
}
