/// Reads one value.
struct BinarySingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: BinaryValueDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.readBool() }
    func decode(_ type: String.Type) throws -> String { try decoder.readString() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.readDouble() }
    func decode(_ type: Float.Type) throws -> Float { Float(bitPattern: try decoder.reader.readUInt32()) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.narrow(decoder.readInt(), Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.narrow(decoder.readInt(), Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.narrow(decoder.readInt(), Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.narrow(decoder.readInt(), Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.readInt() }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.narrow(decoder.readUInt(), UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.narrow(decoder.readUInt(), UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.narrow(decoder.readUInt(), UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.narrow(decoder.readUInt(), UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.readUInt() }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self) }
}
