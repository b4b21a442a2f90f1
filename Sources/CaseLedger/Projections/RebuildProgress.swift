/// How far a rebuild has come, for a progress bar.
public struct RebuildProgress: Sendable, Hashable {
    /// Events read so far.
    public var eventsDone: UInt64
    /// Events to read in all (grows while appends continue).
    public var eventsTotal: UInt64
    /// The rate so far.
    public var eventsPerSecond: Double
    /// The estimated time left, in seconds.
    public var secondsRemaining: Double

    /// Creates a progress report.
    public init(eventsDone: UInt64, eventsTotal: UInt64, eventsPerSecond: Double, secondsRemaining: Double) {
        self.eventsDone = eventsDone
        self.eventsTotal = eventsTotal
        self.eventsPerSecond = eventsPerSecond
        self.secondsRemaining = secondsRemaining
    }

    /// Done over total, from 0 to 1.
    public var fraction: Double { eventsTotal == 0 ? 1 : min(1, Double(eventsDone) / Double(eventsTotal)) }
}
