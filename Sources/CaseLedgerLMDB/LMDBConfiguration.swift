import CaseLedger

/// Where and how an ``LMDBEventStore`` keeps its environment.
///
/// ```swift
/// var configuration = LMDBConfiguration(path: "./caseledger-data")
/// configuration.durability = .relaxed
/// let store = try LMDBEventStore(configuration: configuration)
/// ```
public struct LMDBConfiguration: Sendable {
    /// The directory holding `data.mdb` and `lock.mdb`.
    public var path: String
    /// Whether the store is opened to read only, to read and write, or
    /// created when missing. ``LMDBAccess/create`` by default.
    public var access: LMDBAccess
    /// Durable (fsync per commit) or relaxed.
    public var durability: LMDBDurability
    /// The map size to start with, in bytes. The map grows by itself when full.
    public var initialMapSize: Int
    /// Limits, logger, metrics and clock.
    public var options: EventStoreOptions
    /// Projections updated in every append's transaction.
    public var inlineProjections: InlineProjections?
    /// How often a waiting subscriber re-reads the head besides being told
    /// of commits (another process's commits are noticed through the data
    /// file at once; this is the fallback). 5 seconds by default.
    public var commitRecheckInterval: Duration = .seconds(5)

    /// Creates a configuration.
    public init(
        path: String,
        access: LMDBAccess = .create,
        durability: LMDBDurability = .durable,
        initialMapSize: Int = 64 << 20,
        options: EventStoreOptions = EventStoreOptions(),
        inlineProjections: InlineProjections? = nil
    ) {
        self.inlineProjections = inlineProjections
        self.path = path
        self.access = access
        self.durability = durability
        self.initialMapSize = initialMapSize
        self.options = options
    }
}

/// How an ``LMDBStorage`` opens its environment.
///
/// ```swift
/// let audit = try LMDBEventStore(configuration: LMDBConfiguration(path: "./caseledger-data", access: .readOnly))
/// ```
public enum LMDBAccess: Hashable, Sendable {
    /// Reads only: nothing is created or written (the environment is opened
    /// `MDB_RDONLY`; on read-only media LMDB does without its lock file). A
    /// missing store is an error; a write is ``EventStoreError/Code/readOnly``.
    case readOnly
    /// Reads and writes an existing store; a missing store is an error.
    case readWrite
    /// Reads and writes, creating the directory and the store when missing.
    case create
}
