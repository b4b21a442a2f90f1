/// Where a point-in-time replay stops.
public enum ReplayPoint: Hashable, Sendable {
    /// The head when the replay starts.
    case head
    /// Every event up to and including this position.
    case position(UInt64)
    /// Every event recorded at or before this time. Recorded-at times are
    /// set by writers and need not rise with position, so the whole log is
    /// read and later events are passed over wherever they stand.
    case time(Timestamp)
}
