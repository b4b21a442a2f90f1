import CaseLedger
import Foundation
import Testing

struct Nested: Codable, Equatable, Sendable {
    var name: String
    var level: Level
    var tags: [String]
    enum Level: String, Codable, Sendable { case group, village, town }
}

struct Everything: Codable, Equatable, Sendable {
    var text: String
    var int: Int
    var negative: Int64
    var small: UInt8
    var big: UInt64
    var flag: Bool
    var ratio: Double
    var id: UUID
    var when: Timestamp
    var maybe: String?
    var maybeNot: Int?
    var nested: Nested
    var nestedOptional: Nested?
    var list: [Nested]
    var counts: [String: Int]
    var byLevel: [Int: [String]]
    var set: Set<String>
    var matrix: [[Int]]
}

@Suite("Binary codec")
struct BinaryCodecTests {
    static let sample = Everything(
        text: "咸宁 — 有呼必应", int: -42, negative: Int64.min, small: 255, big: UInt64.max, flag: true, ratio: 0.9837,
        id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00CF4FC964FF")!, when: Timestamp(microsecondsSince1970: 1_735_689_600_000_001),
        maybe: "yes", maybeNot: nil,
        nested: Nested(name: "n", level: .village, tags: ["a", "b"]), nestedOptional: nil,
        list: [Nested(name: "x", level: .town, tags: []), Nested(name: "y", level: .group, tags: ["z"])],
        counts: ["b": 2, "a": 1, "c": 3], byLevel: [3: ["t"], 1: ["g", "h"]], set: ["q", "p", "r"], matrix: [[1, 2], [], [3]]
    )

    @Test("every kind of field round-trips")
    func roundTrip() throws {
        let codec = BinaryCodec()
        let bytes = try codec.encode(Self.sample)
        #expect(try codec.decode(Everything.self, from: bytes) == Self.sample)
    }

    @Test("the same value gives the same bytes, whatever the dictionary and set order")
    func deterministic() throws {
        let codec = BinaryCodec()
        var other = Self.sample
        other.counts = [:]
        for (k, v) in [("c", 3), ("a", 1), ("b", 2)] { other.counts[k] = v }
        other.set = Set(["r", "q", "p"])
        #expect(try codec.encode(Self.sample) == codec.encode(other))
        var jsonOther = Self.sample
        jsonOther.counts = [:]
        for (k, v) in [("c", 3), ("a", 1), ("b", 2)] { jsonOther.counts[k] = v }
        #expect(try JSONCodec().encode(Self.sample) == JSONCodec().encode(jsonOther))
    }

    @Test("binary is much smaller than JSON")
    func compact() throws {
        #expect(try BinaryCodec().encode(Self.sample).count * 2 < JSONCodec().encode(Self.sample).count)
    }

    @Test("truncated or trailing bytes are errors, never a wrong value")
    func malformed() throws {
        let codec = BinaryCodec()
        let bytes = try codec.encode(Self.sample)
        for cut in [0, 1, bytes.count / 2, bytes.count - 1] {
            #expect(throws: CodecError.self) { try codec.decode(Everything.self, from: Array(bytes.prefix(cut))) }
        }
        #expect(throws: CodecError.self) { try codec.decode(Everything.self, from: bytes + [0]) }
        #expect(throws: CodecError.self) { try codec.decode(Nested.self, from: [1, 65, 9]) }
    }

    @Test("malformed JSON is a clear codec error")
    func malformedJSON() throws {
        #expect(throws: CodecError.self) { try JSONCodec().decode(Nested.self, from: Array("{\"name\":".utf8)) }
        do {
            _ = try JSONCodec().decode(Nested.self, from: Array(#"{"name":"a","tags":[]}"#.utf8))
            Issue.record("a missing field was accepted")
        } catch {
            #expect(error.message.contains("level"))
        }
    }
}
