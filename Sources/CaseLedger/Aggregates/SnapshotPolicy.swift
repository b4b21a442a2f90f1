/// When an ``AggregateRepository`` saves a snapshot.
public enum SnapshotPolicy: Hashable, Sendable {
    /// Never.
    case never
    /// When a stream's version crosses a multiple of this many events.
    case every(UInt64)

    func shouldSnapshot(from old: UInt64, to new: UInt64) -> Bool {
        switch self {
        case .never: return false
        case .every(let n): return n > 0 && new / n > old / n
        }
    }
}
