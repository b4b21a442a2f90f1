/// How a ``ProjectionEngine`` reads and saves.
///
/// ```swift
/// let options = ProjectionOptions(saveEvery: 50_000, saveInterval: .milliseconds(500))
/// ```
public struct ProjectionOptions: Sendable {
    /// Events read per page.
    public var pageSize: Int
    /// Save state and checkpoint after at most this many events.
    public var saveEvery: Int
    /// While following live: save at most this long after the first event
    /// folded since the last save (and after ``saveEvery`` events), not after
    /// every append. Folded events are visible at once; a crash refolds what
    /// was not saved.
    public var saveInterval: Duration
    /// Whether the engine saves states at all; `false` folds in memory only
    /// (a report over a store opened read-only). `true` by default.
    public var savesState: Bool

    /// Creates options.
    public init(pageSize: Int = 2_000, saveEvery: Int = 20_000, saveInterval: Duration = .seconds(1), savesState: Bool = true) {
        self.pageSize = max(1, pageSize)
        self.saveEvery = max(1, saveEvery)
        self.saveInterval = max(.zero, saveInterval)
        self.savesState = savesState
    }
}
