/// Reads a sequence written with its count.
struct BinaryUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: BinaryValueDecoder
    let expected: Int
    private(set) var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var count: Int? { expected }
    var isAtEnd: Bool { currentIndex >= expected }

    init(decoder: BinaryValueDecoder, count: Int) {
        self.decoder = decoder
        self.expected = count
    }

    private mutating func next() throws {
        guard currentIndex < expected else { throw CodecError("read past the end of a sequence of \(expected)") }
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode(_ type: String.Type) throws -> String { try next(); return try decoder.readString() }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(); return try decoder.narrow(decoder.readInt(), Int.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(); return try decoder.readUInt() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(); return try decoder.readBool() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(); return try decoder.readDouble() }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(); return try decoder.decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next()
        return try decoder.container(keyedBy: NestedKey.self)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next()
        return try decoder.unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder { decoder }
}
