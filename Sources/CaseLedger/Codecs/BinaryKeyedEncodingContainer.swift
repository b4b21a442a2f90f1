/// Writes a keyed value's fields by position; keys are not stored.
struct BinaryKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: BinaryValueEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { encoder.writer.write(0 as UInt8) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.writer.write(value ? 1 as UInt8 : 0) }
    mutating func encode(_ value: String, forKey key: Key) throws { encoder.writer.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { encoder.writer.write(value.bitPattern) }
    mutating func encode(_ value: Float, forKey key: Key) throws { encoder.writer.write(value.bitPattern) }
    mutating func encode(_ value: Int, forKey key: Key) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { encoder.writer.writeVarInt(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { encoder.writer.writeVarUInt(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.encodeValue(value) }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value) }

    private func present<T: Encodable>(_ value: T?) throws {
        if let value {
            encoder.writer.write(1 as UInt8)
            try encoder.encodeValue(value)
        } else {
            encoder.writer.write(0 as UInt8)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.container(keyedBy: NestedKey.self)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder.unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
}
