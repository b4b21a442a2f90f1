import Foundation

/// `value` as `T`, or a codec error: the codec's casts follow the type it
/// was asked for, so a failure means bytes of another shape.
func binaryCast<T>(_ value: Any, to type: T.Type) throws(CodecError) -> T {
    guard let cast = value as? T else { throw CodecError("a decoded \(Swift.type(of: value)) is not a \(T.self)") }
    return cast
}

/// Types the binary codec writes specially: optionals (a presence byte),
/// dictionaries and sets (sorted, so hashing order never shows).
protocol BinaryOptionalHook {
    static var binaryNone: Self { get }
    var binaryWrapped: (any Encodable)? { get }
    static var binaryWrappedType: any Decodable.Type { get }
    static func binaryWrap(_ value: Any) throws(CodecError) -> Self
}

extension Optional: BinaryOptionalHook where Wrapped: Codable {
    static var binaryNone: Self { nil }
    var binaryWrapped: (any Encodable)? { self.map { $0 as any Encodable } }
    static var binaryWrappedType: any Decodable.Type { Wrapped.self }
    static func binaryWrap(_ value: Any) throws(CodecError) -> Self { .some(try binaryCast(value, to: Wrapped.self)) }
}

protocol BinaryDictionaryHook {
    func binarySortedPairs() -> [(any Encodable, any Encodable)]
    static var binaryKeyType: any Decodable.Type { get }
    static var binaryValueType: any Decodable.Type { get }
    static func binaryMake(_ pairs: [(Any, Any)]) throws(CodecError) -> Self
}

extension Dictionary: BinaryDictionaryHook where Key: Codable & Comparable, Value: Codable {
    func binarySortedPairs() -> [(any Encodable, any Encodable)] {
        // Sort positions, not pairs: moving generic pairs is slow, and the
        // common key types get a comparison the compiler can specialize.
        let entries = ContiguousArray(self)
        var order = Array(entries.indices)
        if Key.self == String.self {
            let keys = entries.map { $0.key as? String ?? "" }
            order.sort { keys[$0] < keys[$1] }
        } else if Key.self == Int.self {
            let keys = entries.map { $0.key as? Int ?? 0 }
            order.sort { keys[$0] < keys[$1] }
        } else {
            order.sort { entries[$0].key < entries[$1].key }
        }
        return order.map { (entries[$0].key as any Encodable, entries[$0].value as any Encodable) }
    }
    static var binaryKeyType: any Decodable.Type { Key.self }
    static var binaryValueType: any Decodable.Type { Value.self }
    static func binaryMake(_ pairs: [(Any, Any)]) throws(CodecError) -> Self {
        var d = Self(minimumCapacity: pairs.count)
        for (k, v) in pairs { d[try binaryCast(k, to: Key.self)] = try binaryCast(v, to: Value.self) }
        return d
    }
}

protocol BinarySetHook {
    func binarySortedElements() -> [any Encodable]
    static var binaryElementType: any Decodable.Type { get }
    static func binaryMake(_ elements: [Any]) throws(CodecError) -> Self
}

extension Set: BinarySetHook where Element: Codable & Comparable {
    func binarySortedElements() -> [any Encodable] { self.sorted().map { $0 as any Encodable } }
    static var binaryElementType: any Decodable.Type { Element.self }
    static func binaryMake(_ elements: [Any]) throws(CodecError) -> Self {
        var set = Self(minimumCapacity: elements.count)
        for e in elements { set.insert(try binaryCast(e, to: Element.self)) }
        return set
    }
}
