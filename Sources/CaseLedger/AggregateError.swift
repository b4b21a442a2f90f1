/// An aggregate command that could not be carried out by the repository
/// (the command's own refusals are the domain's errors).
public struct AggregateError: Error, CustomStringConvertible, Sendable {
    /// The stream.
    public var stream: String
    /// What went wrong.
    public var message: String

    /// Creates the error.
    public init(stream: String, message: String) {
        self.stream = stream
        self.message = message
    }

    public var description: String { "aggregate \(stream): \(message)" }
}
