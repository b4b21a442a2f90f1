/// Writes a sequence: a 4-byte count slot, patched as elements arrive, then the elements.
struct BinaryUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: BinaryValueEncoder
    let countOffset: Int
    private(set) var count: Int = 0
    var codingPath: [any CodingKey] { [] }

    init(encoder: BinaryValueEncoder) {
        self.encoder = encoder
        self.countOffset = encoder.writer.bytes.count
        encoder.writer.write(0 as UInt32)
    }

    private mutating func bump() {
        count += 1
        encoder.writer.patch(UInt32(count), at: countOffset)
    }

    mutating func encodeNil() throws {
        throw CodecError("BinaryCodec cannot write nil inside a sequence; wrap the element in a struct with an optional field")
    }
    mutating func encode(_ value: String) throws { encoder.writer.writeString(value); bump() }
    mutating func encode(_ value: Int) throws { encoder.writer.writeVarInt(Int64(value)); bump() }
    mutating func encode(_ value: UInt64) throws { encoder.writer.writeVarUInt(value); bump() }
    mutating func encode(_ value: Bool) throws { encoder.writer.write(value ? 1 as UInt8 : 0); bump() }
    mutating func encode(_ value: Double) throws { encoder.writer.write(value.bitPattern); bump() }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value); bump() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        bump()
        return encoder.container(keyedBy: NestedKey.self)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        bump()
        return encoder.unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { encoder }
}
