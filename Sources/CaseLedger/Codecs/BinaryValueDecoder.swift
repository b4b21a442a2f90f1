import Foundation

/// The `Decoder` behind ``BinaryCodec``: reads fields in the order the
/// encoder wrote them.
final class BinaryValueDecoder: Decoder {
    var reader: ByteReader
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(reader: ByteReader) {
        self.reader = reader
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(BinaryKeyedDecodingContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let count = Int(try reader.readUInt32())
        return BinaryUnkeyedDecodingContainer(decoder: self, count: count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        BinarySingleValueDecodingContainer(decoder: self)
    }

    func readString() throws -> String { try reader.readString() }
    func readInt() throws -> Int64 { try reader.readVarInt() }
    func readUInt() throws -> UInt64 { try reader.readVarUInt() }
    func readBool() throws -> Bool {
        switch try reader.readUInt8() {
        case 0: return false
        case 1: return true
        case let b: throw CodecError("byte \(b) at offset \(reader.offset - 1) is not a Bool")
        }
    }
    func readDouble() throws -> Double { Double(bitPattern: try reader.readUInt64()) }

    func narrow<T: FixedWidthInteger>(_ value: Int64, _ type: T.Type) throws -> T {
        guard let v = T(exactly: value) else { throw CodecError("\(value) does not fit in \(T.self)") }
        return v
    }

    func narrow<T: FixedWidthInteger>(_ value: UInt64, _ type: T.Type) throws -> T {
        guard let v = T(exactly: value) else { throw CodecError("\(value) does not fit in \(T.self)") }
        return v
    }

    /// Decodes any value, reading the special forms for optionals, UUIDs,
    /// dictionaries and sets.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self { return try binaryCast(readString(), to: T.self) }
        if T.self == Int.self { return try binaryCast(narrow(readInt(), Int.self), to: T.self) }
        if T.self == UInt64.self { return try binaryCast(readUInt(), to: T.self) }
        if T.self == Bool.self { return try binaryCast(readBool(), to: T.self) }
        if T.self == Double.self { return try binaryCast(readDouble(), to: T.self) }
        if T.self == UUID.self { return try binaryCast(reader.readUUID(), to: T.self) }
        if let optional = T.self as? any BinaryOptionalHook.Type {
            switch try reader.readUInt8() {
            case 0: return try binaryCast(optional.binaryNone, to: T.self)
            case 1: return try binaryCast(optional.binaryWrap(try decodeValue(optional.binaryWrappedType)), to: T.self)
            case let b: throw CodecError("byte \(b) at offset \(reader.offset - 1) is not a presence flag")
            }
        }
        if let dictionary = T.self as? any BinaryDictionaryHook.Type {
            let count = try reader.readVarUInt()
            guard count <= UInt64(reader.remaining) else { throw CodecError("dictionary count \(count) exceeds the bytes left") }
            var pairs: [(Any, Any)] = []
            pairs.reserveCapacity(Int(count))
            for _ in 0..<count {
                let k = try decodeValue(dictionary.binaryKeyType)
                let v = try decodeValue(dictionary.binaryValueType)
                pairs.append((k, v))
            }
            return try binaryCast(dictionary.binaryMake(pairs), to: T.self)
        }
        if let set = T.self as? any BinarySetHook.Type {
            let count = try reader.readVarUInt()
            guard count <= UInt64(reader.remaining) else { throw CodecError("set count \(count) exceeds the bytes left") }
            var elements: [Any] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<count { elements.append(try decodeValue(set.binaryElementType)) }
            return try binaryCast(set.binaryMake(elements), to: T.self)
        }
        return try T(from: self)
    }
}
