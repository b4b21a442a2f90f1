import CaseLedger
import Foundation
import Testing

@Suite("The strict JSON parser and its UTF-8 check")
struct JSONValueTests {
    @Test("the UTF-8 check agrees with the standard library on every byte string tried")
    func utf8() {
        var generator = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...8, using: &generator)
            let bytes = (0..<count).map { _ in Bool.random(using: &generator) ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator) }
            let ours = bytes.withUnsafeBufferPointer { $0.isValidUTF8 }
            #expect(ours == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
        for text in ["", "ascii", "说事室", "🙂", "\u{10FFFF}", "\u{D7FF}\u{E000}"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer { $0.validatedUTF8String } == text)
        }
    }

    @Test("objects are equal whatever their member order; a name given twice is refused")
    func objects() throws {
        let a = try JSONValue.parse(Array(#"{"b":1,"a":[true,null,"x"],"c":{"z":-12,"y":1.5}}"#.utf8))
        let b = try JSONValue.parse(Array(#" { "c" : {"y":1.5,"z":-12}, "a":[true,null,"x"], "b":1 } "#.utf8))
        #expect(a == b)
        guard case .object(let members) = a else { Issue.record("not an object"); return }
        #expect(members.pairs.map(\.key) == ["a", "b", "c"])
        #expect(members["b"] == .integer(1))
        #expect(members["missing"] == nil)
        #expect(throws: CodecError.self) { _ = try JSONValue.parse(Array(#"{"a":1,"b":2,"a":3}"#.utf8)) }
        #expect(try JSONValue.parse(Array("-9007199254740993".utf8)) == .integer(-9_007_199_254_740_993))
        #expect(try JSONValue.parse(Array("123456789012345678901".utf8)) == .number(123456789012345678901))
        var text = JSONText()
        text.value(b)
        #expect(String(decoding: text.bytes, as: UTF8.self) == #"{"a":[true,null,"x"],"b":1,"c":{"y":1.5,"z":-12}}"#)
    }
}
