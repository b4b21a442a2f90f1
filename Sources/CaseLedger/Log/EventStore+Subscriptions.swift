extension EventStore {
    /// Subscribes to the log: catches up from `position`, then follows live
    /// appends, as an asynchronous sequence of events.
    ///
    /// ```swift
    /// for try await event in store.subscribe(from: 1, filter: EventFilter(categories: ["ticket"])) {
    ///     print(event.position, event.type)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - position: the first position to deliver.
    ///   - filter: which events to deliver.
    ///   - pageSize: how many events to read at a time while catching up.
    public func subscribe(from position: UInt64 = 1, filter: EventFilter = .all, pageSize: Int = 1_000) -> EventSubscription {
        EventSubscription(store: self, from: position, filter: filter, pageSize: Swift.max(1, pageSize))
    }
}
