import Foundation

/// The `Encoder` behind ``BinaryCodec``: every container writes straight
/// into one buffer, in call order.
final class BinaryValueEncoder: Encoder {
    var writer = ByteWriter(capacity: 128)
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(BinaryKeyedEncodingContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        BinaryUnkeyedEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        BinarySingleValueEncodingContainer(encoder: self)
    }

    func writeString(_ s: String) { writer.writeString(s) }

    /// Encodes any value, writing the special forms for optionals, UUIDs,
    /// dictionaries and sets.
    func encodeValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let v as String: writer.writeString(v)
        case let v as Int: writer.writeVarInt(Int64(v))
        case let v as UInt64: writer.writeVarUInt(v)
        case let v as Bool: writer.write(v ? 1 as UInt8 : 0)
        case let v as Double: writer.write(v.bitPattern)
        case let v as UUID: writer.write(v)
        case let v as any BinaryOptionalHook:
            if let wrapped = v.binaryWrapped {
                writer.write(1 as UInt8)
                try encodeValue(wrapped)
            } else {
                writer.write(0 as UInt8)
            }
        case let v as any BinaryDictionaryHook:
            let pairs = v.binarySortedPairs()
            writer.writeVarUInt(UInt64(pairs.count))
            for (k, value) in pairs {
                try encodeValue(k)
                try encodeValue(value)
            }
        case let v as any BinarySetHook:
            let elements = v.binarySortedElements()
            writer.writeVarUInt(UInt64(elements.count))
            for e in elements { try encodeValue(e) }
        default:
            try value.encode(to: self)
        }
    }
}
