import CaseLedger

/// Where and how an ``LMDBEventStore`` keeps its environment.
///
/// ```swift
/// var configuration = LMDBConfiguration(path: "./caseledger-data")
/// configuration.durability = .relaxed
/// let store = try LMDBEventStore(configuration: configuration)
/// ```
public struct LMDBConfiguration: Sendable {
    /// The directory holding `data.mdb` and `lock.mdb`; created when missing.
    public var path: String
    /// Durable (fsync per commit) or relaxed.
    public var durability: LMDBDurability
    /// The map size to start with, in bytes. The map grows by itself when full.
    public var initialMapSize: Int
    /// Limits, logger, metrics and clock.
    public var options: EventStoreOptions
    /// Projections updated in every append's transaction.
    public var inlineProjections: InlineProjections?

    /// Creates a configuration.
    public init(
        path: String,
        durability: LMDBDurability = .durable,
        initialMapSize: Int = 64 << 20,
        options: EventStoreOptions = EventStoreOptions(),
        inlineProjections: InlineProjections? = nil
    ) {
        self.inlineProjections = inlineProjections
        self.path = path
        self.durability = durability
        self.initialMapSize = initialMapSize
        self.options = options
    }
}
