/// The validated name of an event stream, such as `ticket-2025-00017`.
///
/// A stream name is non-empty, at most ``maximumByteCount`` UTF-8 bytes long and
/// contains no control characters (U+0000–U+001F, U+007F–U+009F). Its
/// ``category`` is the part before the first `-`.
///
/// ```swift
/// let stream = try StreamName("ticket-2025-00017")
/// print(stream.category) // "ticket"
/// ```
public struct StreamName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest allowed name, in UTF-8 bytes.
    public static let maximumByteCount = 200

    /// The name as given.
    public let value: String

    /// Validates and wraps a stream name.
    ///
    /// - Parameter value: the name.
    /// - Throws: ``EventStoreError`` with code ``EventStoreError/Code/invalidStreamName``
    ///   when the name is empty, too long or contains a control character.
    public init(_ value: String) throws(EventStoreError) {
        if let problem = StreamName.problem(with: value) {
            throw EventStoreError.invalidStreamName(value, reason: problem)
        }
        self.value = value
    }

    /// Wraps a name already known to be valid (read back from storage).
    init(trusted value: String) {
        self.value = value
    }

    /// The category: the part of the name before the first `-`, or the whole
    /// name when it has none.
    public var category: String {
        StreamName.category(of: value)
    }

    /// The category of a raw stream name: its UTF-8 bytes before the first
    /// `-` byte (the same cut the stored indexes make).
    static func category(of name: String) -> String {
        let utf8 = name.utf8
        if let dash = utf8.firstIndex(of: UInt8(ascii: "-")) {
            return String(decoding: utf8[..<dash], as: UTF8.self)
        }
        return name
    }

    public var description: String { value }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool {
        lhs.value < rhs.value
    }

    /// Why a name is invalid, or `nil` when it is valid.
    static func problem(with value: String) -> String? {
        let count = value.utf8.count
        if count == 0 { return "the name is empty" }
        if count > maximumByteCount {
            return "the name is \(count) UTF-8 bytes long; at most \(maximumByteCount) are allowed"
        }
        for scalar in value.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v <= 0x9F) {
                return "the name contains the control character U+\(String(v, radix: 16, uppercase: true))"
            }
        }
        return nil
    }
}
