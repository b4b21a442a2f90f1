/// A stream read page by page; see ``EventStore/streamEvents(_:direction:pageSize:)``.
public struct StreamEventPages: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]

    let store: any EventStore
    let stream: StreamName
    let direction: ReadDirection
    let pageSize: Int

    init(store: any EventStore, stream: StreamName, direction: ReadDirection, pageSize: Int) {
        self.store = store
        self.stream = stream
        self.direction = direction
        self.pageSize = Swift.max(1, pageSize)
    }

    /// Iterates the pages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any EventStore
        let stream: StreamName
        let direction: ReadDirection
        let pageSize: Int
        var next: UInt64?
        var done = false

        /// The next page, or `nil` at the stream's end.
        public mutating func next() async throws(EventStoreError) -> [RecordedEvent]? {
            if done { return nil }
            let page = try await store.readStream(stream, from: next, direction: direction, limit: pageSize)
            guard let last = page.last else {
                done = true
                return nil
            }
            switch direction {
            case .forward: next = last.streamVersion + 1
            case .backward:
                if last.streamVersion <= 1 { done = true }
                next = last.streamVersion - 1
            }
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, stream: stream, direction: direction, pageSize: pageSize, next: nil)
    }
}
