/// The outcome of walking the log.
public struct VerificationReport: Hashable, Sendable {
    /// Records checked.
    public var events: UInt64
    /// The hash of the last good record.
    public var headHash: AuditHash
    /// Signed checkpoints checked.
    public var checkpointsVerified: Int
    /// The first failure, or `nil` when everything holds.
    public var failure: VerificationFailure?

    /// Whether the log verified.
    public var isValid: Bool { failure == nil }
}
