/// Writes one value.
struct BinarySingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: BinaryValueEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        throw CodecError("BinaryCodec writes optionals as fields; a bare nil value is not supported")
    }
    mutating func encode(_ value: Bool) throws { encoder.writer.write(value ? 1 as UInt8 : 0) }
    mutating func encode(_ value: String) throws { encoder.writer.writeString(value) }
    mutating func encode(_ value: Double) throws { encoder.writer.write(value.bitPattern) }
    mutating func encode(_ value: Float) throws { encoder.writer.write(value.bitPattern) }
    mutating func encode(_ value: Int) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int8) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int16) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int32) throws { encoder.writer.writeVarInt(Int64(value)) }
    mutating func encode(_ value: Int64) throws { encoder.writer.writeVarInt(value) }
    mutating func encode(_ value: UInt) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { encoder.writer.writeVarUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { encoder.writer.writeVarUInt(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}
