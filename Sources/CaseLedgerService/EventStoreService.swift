import CaseLedger
import Logging
import ServiceLifecycle

/// Holds an event store open for the life of a service group and closes it
/// when the group shuts down.
///
/// Services in a group shut down in reverse order, so list this one first:
/// everything after it (projection engines, subscriptions, an HTTP server)
/// stops before the store closes, and its last saves reach the store.
///
/// ```swift
/// let store = try LMDBEventStore(path: "/var/lib/cases")
/// let group = ServiceGroup(configuration: .init(
///     services: [EventStoreService(store), engine, server],
///     gracefulShutdownSignals: [.sigterm],
///     logger: logger))
/// try await group.run()          // returns after SIGTERM, store closed
/// ```
public struct EventStoreService: Service {
    /// The store this service closes.
    public let store: any EventStore
    private let logger: Logger

    /// Wraps `store`; `logger` hears when it closes.
    public init(_ store: any EventStore, logger: Logger = Logger(label: "caseledger.store")) {
        self.store = store
        self.logger = logger
    }

    /// Waits for graceful shutdown (or cancellation), then syncs and closes
    /// the store.
    public func run() async throws {
        // Cancellation ends the wait as well; either way the store closes.
        try? await gracefulShutdown()
        do {
            try await store.sync()
        } catch {
            logger.error("syncing the store before closing failed", metadata: ["error": "\(error)"])
        }
        await store.close()
        logger.info("store closed")
    }
}
