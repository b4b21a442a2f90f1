/// A value could not be encoded or decoded.
public struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, and where.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
