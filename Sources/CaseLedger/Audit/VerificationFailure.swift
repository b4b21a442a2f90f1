/// The first place where the log does not verify.
public struct VerificationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first bad position.
    public var position: UInt64
    /// What does not match.
    public var reason: String

    /// Creates a failure.
    public init(position: UInt64, reason: String) {
        self.position = position
        self.reason = reason
    }

    public var description: String { "position \(position): \(reason)" }
}
