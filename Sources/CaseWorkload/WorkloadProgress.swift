/// How far generation has come.
public struct WorkloadProgress: Sendable, Hashable {
    /// Events written.
    public var events: UInt64
    /// The fraction of the simulated year done, 0 to 1.
    public var fraction: Double
    /// Events written a second so far.
    public var eventsPerSecond: Double
    /// Estimated seconds left.
    public var secondsRemaining: Double
}
