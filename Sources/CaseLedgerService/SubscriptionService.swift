import CaseLedger
import ServiceLifecycle

/// Runs a handler over every event from a position on, live, until the
/// service group shuts down: a subscription with a lifecycle.
///
/// The handler is called in log order, one event at a time; where it left
/// off is the caller's to keep (for example in the handler's own storage),
/// and given back as `from` at the next start.
///
/// ```swift
/// let mailer = SubscriptionService(store: store, from: lastSent + 1,
///                                  filter: EventFilter(categories: ["ticket"])) { event in
///     try await notify(about: event)
/// }
/// let group = ServiceGroup(services: [EventStoreService(store), mailer], logger: logger)
/// ```
///
/// A handler that throws ends `run()` with its error, and the group with it.
public struct SubscriptionService: Service {
    private let store: any EventStore
    private let from: UInt64
    private let filter: EventFilter
    private let handler: @Sendable (RecordedEvent) async throws -> Void

    /// A subscription to `store` from `from` (1 for the whole log), through
    /// `filter`, calling `handler` for each event.
    public init(store: any EventStore, from: UInt64 = 1, filter: EventFilter = .all,
                handler: @escaping @Sendable (RecordedEvent) async throws -> Void) {
        self.store = store
        self.from = from
        self.filter = filter
        self.handler = handler
    }

    /// Delivers events until graceful shutdown, cancellation or a failure.
    public func run() async throws {
        let events = store.subscribe(from: from, filter: filter)
        try await cancelWhenGracefulShutdown {
            for try await event in events {
                try await handler(event)
            }
        }
    }
}
