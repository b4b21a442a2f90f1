/// The log read forward page by page; see ``EventStore/allEvents(from:filter:pageSize:)``.
///
/// Holds one page at a time, so memory stays constant whatever the log's size.
public struct AllEventPages: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]

    let store: any EventStore
    let from: UInt64
    let filter: EventFilter
    let pageSize: Int

    init(store: any EventStore, from: UInt64, filter: EventFilter, pageSize: Int) {
        self.store = store
        self.from = Swift.max(1, from)
        self.filter = filter
        self.pageSize = Swift.max(1, pageSize)
    }

    /// Iterates the pages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any EventStore
        var next: UInt64
        let filter: EventFilter
        let pageSize: Int
        var done = false

        /// The next page, or `nil` at the head.
        public mutating func next() async throws(EventStoreError) -> [RecordedEvent]? {
            if done { return nil }
            let page = try await store.readAll(from: next, filter: filter, limit: pageSize)
            guard let last = page.last else {
                done = true
                return nil
            }
            next = last.position + 1
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, next: from, filter: filter, pageSize: pageSize)
    }
}
