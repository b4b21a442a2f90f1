/// How a ``ProjectionEngine`` reads and saves.
public struct ProjectionOptions: Sendable {
    /// Events read per page.
    public var pageSize: Int
    /// Save state and checkpoint after at most this many events.
    public var saveEvery: Int
    /// Whether the engine saves states at all; `false` folds in memory only
    /// (a report over a store opened read-only). `true` by default.
    public var savesState: Bool

    /// Creates options.
    public init(pageSize: Int = 2_000, saveEvery: Int = 20_000, savesState: Bool = true) {
        self.pageSize = max(1, pageSize)
        self.saveEvery = max(1, saveEvery)
        self.savesState = savesState
    }
}
