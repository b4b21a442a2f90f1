/// The version a stream must have for an append to go ahead (optimistic concurrency).
///
/// A stream that does not exist has version 0, so `.exact(0)` means the same
/// as `.noStream`.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must exist, whatever its version.
    case streamExists
    /// The stream's current version must be exactly this.
    case exact(UInt64)

    /// Whether a stream whose current version is `current` (0 when it does
    /// not exist) satisfies this expectation.
    public func isSatisfied(byCurrentVersion current: UInt64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return current == 0
        case .streamExists: return current > 0
        case .exact(let v): return current == v
        }
    }

    public var description: String {
        switch self {
        case .any: return "any"
        case .noStream: return "no-stream"
        case .streamExists: return "exists"
        case .exact(let v): return String(v)
        }
    }
}
