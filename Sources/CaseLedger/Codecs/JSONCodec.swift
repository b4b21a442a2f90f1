import Foundation

/// JSON with sorted keys, so the same value gives the same bytes. For export,
/// display and payloads written by people; slower than ``BinaryCodec``.
///
/// Foundation writes a `Set` in its iteration order, which changes from one
/// process to the next: values meant to give stable JSON hold sorted arrays.
///
/// ```swift
/// let bytes = try JSONCodec().encode(["b": 1, "a": 2]) // {"a":2,"b":1}
/// ```
public struct JSONCodec: EventCodec {
    public var name: String { "json" }

    /// Creates the codec.
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws(CodecError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw CodecError("JSON encoding of \(T.self) failed: \(error)")
        }
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(CodecError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.dataCorrupted(context) {
            throw CodecError("malformed JSON for \(T.self): \(context.debugDescription) \(context.underlyingError.map { "(\($0))" } ?? "")")
        } catch let DecodingError.keyNotFound(key, _) {
            throw CodecError("JSON for \(T.self) lacks the field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw CodecError("JSON for \(T.self) has a wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw CodecError("JSON for \(T.self) lacks a value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw CodecError("JSON decoding of \(T.self) failed: \(error)")
        }
    }
}
