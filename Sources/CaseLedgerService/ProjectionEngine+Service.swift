import CaseLedger
import ServiceLifecycle

/// A projection engine runs as a service: it catches up, follows live
/// appends, and on graceful shutdown stops following, folds what was
/// committed before it stopped and saves, so the checkpoint on disk is the
/// head the store had (services listed after it in the group, such as the
/// ones that append, have stopped by then). Cancelled instead, it saves what
/// it folded.
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
        if Task.isShuttingDownGracefully && !Task.isCancelled {
            _ = try await catchUp()
        }
    }
}
