/// A parsed JSON value (RFC 8259), what generated event codecs read from.
///
/// ```swift
/// let value = try JSONValue.parse(Array(#"{"ticketID":"t-1","score":4}"#.utf8))
/// ```
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// An integer written without fraction or exponent that fits 64 bits.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members by name; a name given twice is refused by the parser.
    case object(JSONMembers)

    /// Parses JSON text: exactly one value, surrounded by white space at most.
    ///
    /// - Throws: ``CodecError`` naming the offset of what is wrong.
    public static func parse(_ bytes: some Collection<UInt8>) throws(CodecError) -> JSONValue {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { (buffer) throws(CodecError) -> JSONValue in
            var parser = JSONParser(bytes: buffer)
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            guard parser.offset == buffer.count else { throw parser.error("text after the JSON value") }
            return value
        }
    }

    /// The members of an object; throws naming `what` otherwise.
    public func object(_ what: String) throws(CodecError) -> JSONObject {
        guard case .object(let members) = self else { throw CodecError("\(what) must be a JSON object") }
        return JSONObject(members: members, what: what)
    }
}

/// An object's members, kept in the byte order of their names (so two
/// objects with the same members are equal whatever order they were written
/// in). Small objects, as events are, are looked up without hashing.
public struct JSONMembers: Hashable, Sendable, Sequence {
    /// The members, by name in byte order; no name twice.
    public private(set) var pairs: [(key: String, value: JSONValue)]

    /// Members from pairs whose names are distinct (a later pair replaces an earlier one).
    public init(_ pairs: [(key: String, value: JSONValue)] = []) {
        var sorted = pairs.enumerated().sorted { a, b in
            a.element.key == b.element.key ? a.offset < b.offset : a.element.key.utf8.lexicographicallyPrecedes(b.element.key.utf8)
        }.map(\.element)
        var i = sorted.count - 1
        while i > 0 {
            if sorted[i - 1].key == sorted[i].key { sorted.remove(at: i - 1) }
            i -= 1
        }
        self.pairs = sorted
    }

    /// Members already in byte order of distinct names (the parser's).
    init(sorted: [(key: String, value: JSONValue)]) { pairs = sorted }

    /// The member with this name.
    public subscript(_ key: String) -> JSONValue? {
        for pair in pairs where pair.key == key { return pair.value }
        return nil
    }

    /// How many members.
    public var count: Int { pairs.count }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { pairs.makeIterator() }

    public static func == (a: JSONMembers, b: JSONMembers) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pairs.count)
        for pair in pairs {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }
}

/// A JSON object's members, read by a generated decoder.
public struct JSONObject: Sendable {
    let members: JSONMembers
    let what: String

    /// A member that must be there.
    public func field(_ key: String) throws(CodecError) -> JSONValue {
        guard let value = members[key] else { throw CodecError("\(what) needs \"\(key)\"") }
        return value
    }

    /// A member that may be missing or null.
    public func optional(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// Refuses members other than `known` (a short list: looked through, not hashed).
    public func only(_ known: [String]) throws(CodecError) {
        if let extra = members.first(where: { member in !known.contains(where: { $0 == member.key }) }) {
            throw CodecError("\(what) has no field \"\(extra.key)\"")
        }
    }
}

/// A strict, allocation-light JSON parser.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    static let maximumDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ what: String) -> CodecError { CodecError("invalid JSON at offset \(offset): \(what)") }

    mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(CodecError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested too deep") }
        skipSpace()
        guard offset < bytes.count else { throw error("a value was expected") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(CodecError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw error("unknown literal") }
        for i in 0..<count where bytes[offset + i] != word.utf8Start[i] { throw error("unknown literal") }
        offset += count
    }

    mutating func object(depth: Int) throws(CodecError) -> JSONValue {
        offset += 1
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return .object(JSONMembers(sorted: members))
        }
        members.reserveCapacity(8)
        /// Sorts by name and refuses a name given twice.
        func finish(_ members: inout [(key: String, value: JSONValue)]) throws(CodecError) -> JSONValue {
            var inOrder = true
            for i in members.indices.dropFirst() where !members[i - 1].key.utf8.lexicographicallyPrecedes(members[i].key.utf8) {
                inOrder = false
                break
            }
            if !inOrder { members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            for i in members.indices.dropFirst() where members[i - 1].key == members[i].key {
                throw error("the member \"\(members[i].key)\" is given twice")
            }
            return .object(JSONMembers(sorted: members))
        }
        while true {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("a member name was expected") }
            let key = try string()
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw error("':' was expected") }
            offset += 1
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard offset < bytes.count else { throw error("the object is not closed") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "}") { offset += 1; return try finish(&members) }
            throw error("',' or '}' was expected")
        }
    }

    mutating func array(depth: Int) throws(CodecError) -> JSONValue {
        offset += 1
        var elements: [JSONValue] = []
        skipSpace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipSpace()
            guard offset < bytes.count else { throw error("the array is not closed") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
            throw error("',' or ']' was expected")
        }
    }

    mutating func string() throws(CodecError) -> String {
        offset += 1
        let start = offset
        // The common case: no escapes, valid UTF-8.
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                guard let text = slice.validatedUTF8String else { throw error("a string that is not UTF-8") }
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            guard b >= 0x20 else { throw error("a control character in a string") }
            offset += 1
        }
        var out = Array(bytes[start..<offset])
        while offset < bytes.count {
            let b = bytes[offset]
            offset += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let text = out.withUnsafeBufferPointer({ $0.validatedUTF8String }) else { throw error("a string that is not UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { throw error("an unfinished escape") }
                let e = bytes[offset]
                offset += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw error("a lone surrogate")
                        }
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("a lone surrogate")
                    }
                    guard let s = Unicode.Scalar(scalar) else { throw error("an invalid escape") }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default: throw error("an unknown escape")
                }
            default:
                guard b >= 0x20 else { throw error("a control character in a string") }
                out.append(b)
            }
        }
        throw error("the string is not closed")
    }

    mutating func hex4() throws(CodecError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("a short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[offset]
            offset += 1
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("a bad \\u escape")
            }
            v = v << 4 | d
        }
        return v
    }

    mutating func number() throws(CodecError) -> JSONValue {
        let start = offset
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) else { throw error("a value was expected") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
        }
        var integral = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            integral = false
            offset += 1
            let digits = offset
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
            guard offset > digits else { throw error("a fraction without digits") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            let digits = offset
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
            guard offset > digits else { throw error("an exponent without digits") }
        }
        if integral, offset - start <= 18 {
            // Up to 18 digits fit 64 bits: read them directly.
            var n: Int64 = 0
            for i in (bytes[start] == UInt8(ascii: "-") ? start + 1 : start)..<offset { n = n * 10 + Int64(bytes[i] - UInt8(ascii: "0")) }
            return .integer(bytes[start] == UInt8(ascii: "-") ? -n : n)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if integral, let n = Int64(text) { return .integer(n) }
        guard let d = Double(text), d.isFinite else { throw error("a number out of range") }
        return .number(d)
    }
}
