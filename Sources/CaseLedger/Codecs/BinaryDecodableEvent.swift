/// A type that reads the bytes ``BinaryCodec`` writes for it without the
/// Codable machinery (several times faster for replay).
///
/// Schema-generated events (``SchemaEvent``) conform through generated code;
/// a hand-written conformance must read exactly what its `encode(to:)`
/// writes through ``BinaryCodec``: fields in declaration order; integers as
/// zig-zag LEB128, strings as LEB128 length and UTF-8, optionals with a
/// presence byte, arrays with a 4-byte count.
///
/// ```swift
/// var reader = ByteReader(payload)
/// let event = try TicketFiled(binary: &reader)
/// ```
public protocol BinaryDecodableEvent: Decodable {
    /// Reads the value from the reader, leaving it after the value.
    init(binary reader: inout ByteReader) throws(CodecError)
}

extension ByteReader {
    /// Reads a string written by ``BinaryCodec``.
    @inlinable public mutating func binaryString() throws(CodecError) -> String {
        do { return try readString() } catch { throw CodecError(error.description) }
    }

    /// Reads an `Int` written by ``BinaryCodec``.
    @inlinable public mutating func binaryInt() throws(CodecError) -> Int {
        do { return Int(try readVarInt()) } catch { throw CodecError(error.description) }
    }

    /// Reads a `Bool` written by ``BinaryCodec``.
    @inlinable public mutating func binaryBool() throws(CodecError) -> Bool {
        let b: UInt8
        do { b = try readUInt8() } catch { throw CodecError(error.description) }
        switch b {
        case 0: return false
        case 1: return true
        default: throw CodecError("byte \(b) is not a Bool")
        }
    }

    /// Reads a presence byte of an optional written by ``BinaryCodec``.
    @inlinable public mutating func binaryPresent() throws(CodecError) -> Bool {
        try binaryBool()
    }

    /// Reads the 4-byte count of a sequence written by ``BinaryCodec``.
    @inlinable public mutating func binaryCount() throws(CodecError) -> Int {
        do {
            let n = Int(try readUInt32())
            guard n <= remaining else { throw CodecError("a sequence of \(n) exceeds the bytes left") }
            return n
        } catch let error as CodecError {
            throw error
        } catch {
            throw CodecError("\(error)")
        }
    }

    /// Reads a string-backed enum written by ``BinaryCodec``.
    @inlinable public mutating func binaryEnum<E: RawRepresentable>(_ type: E.Type) throws(CodecError) -> E where E.RawValue == String {
        let raw = try binaryString()
        guard let value = E(rawValue: raw) else { throw CodecError("'\(raw)' is not a \(E.self)") }
        return value
    }

    /// Reads a ``Timestamp`` written by ``BinaryCodec``.
    @inlinable public mutating func binaryTimestamp() throws(CodecError) -> Timestamp {
        do { return Timestamp(microsecondsSince1970: try readVarInt()) } catch { throw CodecError(error.description) }
    }
}
