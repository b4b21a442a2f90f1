import Foundation

/// Types the binary codec writes specially: optionals (a presence byte),
/// dictionaries and sets (sorted, so hashing order never shows).
protocol BinaryOptionalHook {
    static var binaryNone: Self { get }
    var binaryWrapped: (any Encodable)? { get }
    static var binaryWrappedType: any Decodable.Type { get }
    static func binaryWrap(_ value: Any) -> Self
}

extension Optional: BinaryOptionalHook where Wrapped: Codable {
    static var binaryNone: Self { nil }
    var binaryWrapped: (any Encodable)? { self.map { $0 as any Encodable } }
    static var binaryWrappedType: any Decodable.Type { Wrapped.self }
    static func binaryWrap(_ value: Any) -> Self { .some(value as! Wrapped) }
}

protocol BinaryDictionaryHook {
    func binarySortedPairs() -> [(any Encodable, any Encodable)]
    static var binaryKeyType: any Decodable.Type { get }
    static var binaryValueType: any Decodable.Type { get }
    static func binaryMake(_ pairs: [(Any, Any)]) -> Self
}

extension Dictionary: BinaryDictionaryHook where Key: Codable & Comparable, Value: Codable {
    func binarySortedPairs() -> [(any Encodable, any Encodable)] {
        // Sort positions, not pairs: moving generic pairs is slow, and the
        // common key types get a comparison the compiler can specialize.
        let entries = ContiguousArray(self)
        var order = Array(entries.indices)
        if Key.self == String.self {
            let keys = entries.map { $0.key as! String }
            order.sort { keys[$0] < keys[$1] }
        } else if Key.self == Int.self {
            let keys = entries.map { $0.key as! Int }
            order.sort { keys[$0] < keys[$1] }
        } else {
            order.sort { entries[$0].key < entries[$1].key }
        }
        return order.map { (entries[$0].key as any Encodable, entries[$0].value as any Encodable) }
    }
    static var binaryKeyType: any Decodable.Type { Key.self }
    static var binaryValueType: any Decodable.Type { Value.self }
    static func binaryMake(_ pairs: [(Any, Any)]) -> Self {
        var d = Self(minimumCapacity: pairs.count)
        for (k, v) in pairs { d[k as! Key] = (v as! Value) }
        return d
    }
}

protocol BinarySetHook {
    func binarySortedElements() -> [any Encodable]
    static var binaryElementType: any Decodable.Type { get }
    static func binaryMake(_ elements: [Any]) -> Self
}

extension Set: BinarySetHook where Element: Codable & Comparable {
    func binarySortedElements() -> [any Encodable] { self.sorted().map { $0 as any Encodable } }
    static var binaryElementType: any Decodable.Type { Element.self }
    static func binaryMake(_ elements: [Any]) -> Self { Set(elements.map { $0 as! Element }) }
}
