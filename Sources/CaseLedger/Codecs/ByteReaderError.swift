/// Bytes ended before a value was complete, or a value was malformed.
public struct ByteReaderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where reading stopped.
    public var offset: Int
    /// How many bytes were wanted.
    public var wanted: Int

    /// Creates the error.
    public init(offset: Int, wanted: Int) {
        self.offset = offset
        self.wanted = wanted
    }

    public var description: String { "malformed bytes: wanted \(wanted) more at offset \(offset)" }
}
