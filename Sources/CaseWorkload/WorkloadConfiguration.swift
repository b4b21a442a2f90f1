/// The size and seed of a generated year.
///
/// At scale 1.0 the year holds the article's figures: 750,000 ratings,
/// 1,500 check-ups finding 356 risk points, 2,501 enforcement cases, and
/// tickets from every channel (20,000 platform orders, 98.37% completed;
/// about 8,000 disputes, 96.75% resolved or mediated; 5,000 clues from the
/// evaluation app). Counts scale linearly and are rounded; rates hold at
/// every scale.
public struct WorkloadConfiguration: Sendable, Hashable {
    /// The scale factor, 0.01 to 10.
    public var scale: Double
    /// The seed: the same seed and scale give the same log, byte for byte.
    public var seed: UInt64
    /// The year simulated (UTC).
    public var year: Int
    /// Events per append while writing.
    public var batchSize: Int

    /// Creates a configuration.
    public init(scale: Double = 1.0, seed: UInt64 = 2025, year: Int = 2025, batchSize: Int = 10_000) {
        self.scale = scale
        self.seed = seed
        self.year = year
        self.batchSize = max(1, batchSize)
    }

    /// A count at this scale.
    public func count(_ atScaleOne: Int) -> Int {
        Int((Double(atScaleOne) * scale).rounded())
    }
}
