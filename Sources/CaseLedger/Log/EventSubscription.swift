/// A live subscription: every matching event from a position, in order,
/// then each new event as it commits; see ``EventStore/subscribe(from:filter:pageSize:)``.
///
/// The subscription pulls pages from the store, so a slow consumer never
/// holds up appends; it never skips and never repeats an event, because
/// positions are contiguous and commit in position order on every backend.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let store: any EventStore
    let from: UInt64
    let filter: EventFilter
    let pageSize: Int

    /// Iterates events; ends when the store closes or the task is cancelled.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any EventStore
        let filter: EventFilter
        let pageSize: Int
        var next: UInt64
        var buffer: [RecordedEvent] = []
        var index = 0

        public mutating func next() async throws(EventStoreError) -> RecordedEvent? {
            while true {
                if index < buffer.count {
                    defer { index += 1 }
                    return buffer[index]
                }
                if Task.isCancelled { return nil }
                let head = try await store.headPosition()
                let page = try await store.readAll(from: next, filter: filter, limit: pageSize)
                if let last = page.last {
                    buffer = page
                    index = 0
                    next = last.position + 1
                    continue
                }
                // Nothing matching up to `head`: skip past it and wait for more.
                next = Swift.max(next, head + 1)
                guard try await store.waitForHead(beyond: head) != nil else { return nil }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, filter: filter, pageSize: pageSize, next: Swift.max(1, from))
    }
}
