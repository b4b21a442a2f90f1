/// Stored bytes that are not a valid record.
public struct RecordFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { "corrupt record: \(message)" }
}
