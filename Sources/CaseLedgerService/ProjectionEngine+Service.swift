import CaseLedger
import ServiceLifecycle

/// A projection engine runs as a service: it catches up, follows live
/// appends, and on graceful shutdown stops following, folds what was
/// committed before the stop (services listed after it in the group, such
/// as the ones that append, have stopped by then) and saves, so the saved
/// checkpoint is the head. A shutdown during the first catch-up of a long
/// log stops between two windows and saves what was folded. A group cancelled
/// because another service failed cancels every service at once: the store
/// may close before the engine's last save, which then fails with
/// `storeClosed` and is folded again at the next start (exactly once holds;
/// use `.gracefullyShutdownGroup` as the failure behaviour to save first).
///
/// ```swift
/// let engine = ProjectionEngine(store: store, registry: registry)
/// try await engine.register(TicketBoard())
/// let group = ServiceGroup(configuration: .init(
///     services: [EventStoreService(store), engine],
///     gracefulShutdownSignals: [.sigterm, .sigint],
///     logger: logger))
/// try await group.run()
/// ```
///
/// A failure while following (a handler that throws, a damaged record) ends
/// `run()` with that error, which makes the service group shut down.
extension ProjectionEngine: Service {
    public nonisolated func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.follow()
        }
    }
}

/// A projection engine that follows only while this process leads, as a
/// service: for replicas of one service sharing a PostgreSQL store, where
/// each projection must run in one process at a time.
///
/// ```swift
/// let leading = LeadingProjectionService(engine: engine,
///                                        leadership: PostgresLeadership(store: store),
///                                        name: "city-read-models")
/// let group = ServiceGroup(configuration: .init(
///     services: [EventStoreService(store), leading],
///     gracefulShutdownSignals: [.sigterm], logger: logger))
/// ```
///
/// On graceful shutdown the leader saves and gives the lease up, so another
/// replica takes over at once; one standing by just stops.
public struct LeadingProjectionService: Service {
    private let engine: ProjectionEngine
    private let leadership: any ProjectionLeadership
    private let name: String

    /// Runs `engine` whenever this process leads `name` through `leadership`.
    public init(engine: ProjectionEngine, leadership: any ProjectionLeadership, name: String) {
        self.engine = engine
        self.leadership = leadership
        self.name = name
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await engine.follow(leadership: leadership, name: name)
        }
    }
}
