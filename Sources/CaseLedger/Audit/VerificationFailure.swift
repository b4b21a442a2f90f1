/// The first place where the log, the head, an index or a checkpoint does
/// not verify.
public struct VerificationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first bad position (for an index, the position its bad entry
    /// names, or 0 when it names none).
    public var position: UInt64
    /// What does not match.
    public var reason: String
    /// The index that disagrees with the log, or `nil` when the log itself,
    /// its head or a checkpoint fails.
    public var index: StorageIndex?

    /// Creates a failure.
    public init(position: UInt64, reason: String, index: StorageIndex? = nil) {
        self.position = position
        self.reason = reason
        self.index = index
    }

    /// `position 551: …`, or `streams index: …`.
    public var description: String {
        if let index { return "\(index) index: \(reason)" }
        return "position \(position): \(reason)"
    }
}
