/// Reads a keyed value's fields by position.
struct BinaryKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: BinaryValueDecoder
    var codingPath: [any CodingKey] { [] }
    /// Positional data has no keys to list; types that need them cannot be decoded.
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool {
        try decoder.reader.readUInt8() == 0
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.readBool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.readString() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.readDouble() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(bitPattern: try decoder.reader.readUInt32()) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.narrow(decoder.readInt(), Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.narrow(decoder.readInt(), Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.narrow(decoder.readInt(), Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.narrow(decoder.readInt(), Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.readInt() }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.narrow(decoder.readUInt(), UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.narrow(decoder.readUInt(), UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.narrow(decoder.readUInt(), UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.narrow(decoder.readUInt(), UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.readUInt() }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.decodeValue(T.self) }

    private func present() throws -> Bool {
        switch try decoder.reader.readUInt8() {
        case 0: return false
        case 1: return true
        case let b: throw CodecError("byte \(b) at offset \(decoder.reader.offset - 1) is not a presence flag")
        }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present() ? decoder.readBool() : nil }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present() ? decoder.readString() : nil }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present() ? decoder.readDouble() : nil }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try present() ? decode(Float.self, forKey: key) : nil }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present() ? decode(Int.self, forKey: key) : nil }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try present() ? decode(Int8.self, forKey: key) : nil }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try present() ? decode(Int16.self, forKey: key) : nil }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try present() ? decode(Int32.self, forKey: key) : nil }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present() ? decoder.readInt() : nil }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try present() ? decode(UInt.self, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try present() ? decode(UInt8.self, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try present() ? decode(UInt16.self, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try present() ? decode(UInt32.self, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try present() ? decoder.readUInt() : nil }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present() ? decoder.decodeValue(T.self) : nil }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.container(keyedBy: NestedKey.self)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try decoder.unkeyedContainer() }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}
