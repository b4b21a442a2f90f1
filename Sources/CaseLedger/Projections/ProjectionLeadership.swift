/// Decides which one of several processes runs a set of projections
/// against a shared store: the others stand by, and one of them takes over
/// when the leader dies.
///
/// Exactly once holds across a change of leader because a projection's
/// state and checkpoint are saved in one transaction: the new leader starts
/// from the last saved pair, and folds again only what the old one folded
/// and did not save. A leader that lost its lease without knowing it can at
/// worst save a pair that is older, never one that disagrees with itself.
///
/// ```swift
/// let leadership = PostgresLeadership(store: store)        // CaseLedgerPostgres
/// try await engine.follow(leadership: leadership, name: "city-read-models")
/// ```
///
/// Implementation requirements: ``lead(_:_:)`` waits until this process
/// holds the lease on `name`; runs `body` while it holds it; cancels `body`
/// when the lease is lost (and waits for it to return), then waits for the
/// lease again. It returns when `body` returns on its own or the calling
/// task is cancelled (after `body` has returned), and rethrows what `body`
/// throws, releasing the lease either way.
public protocol ProjectionLeadership: Sendable {
    /// Runs `body` whenever this process leads `name`, until the calling
    /// task is cancelled or `body` returns on its own or throws.
    func lead(_ name: String, _ body: @escaping @Sendable () async throws -> Void) async throws
}
