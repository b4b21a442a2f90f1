extension EventStore {
    /// Appends events to one stream, atomically.
    ///
    /// ```swift
    /// let result = try await store.append(events, to: stream, expectedVersion: .exact(2))
    /// ```
    ///
    /// - Parameters:
    ///   - events: the events, at least one.
    ///   - stream: the stream.
    ///   - expectedVersion: the version the stream must have; `.any` by default.
    /// - Returns: the positions written and the stream's new version.
    /// - Throws: ``EventStoreError``.
    public func append(_ events: [EventData], to stream: StreamName, expectedVersion: ExpectedVersion = .any) async throws(EventStoreError) -> AppendResult {
        let results = try await append([StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)])
        return results[0]
    }

    /// Reads a stream forward from its start, up to `limit` events.
    public func readStream(_ stream: StreamName, limit: Int = Int.max) async throws(EventStoreError) -> [RecordedEvent] {
        try await readStream(stream, from: nil, direction: .forward, limit: limit)
    }

    /// Reads the log forward from `position` with no filter.
    public func readAll(from position: UInt64 = 1, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        try await readAll(from: position, filter: .all, limit: limit)
    }

    /// The log read forward as an asynchronous sequence of pages, in constant memory.
    ///
    /// ```swift
    /// for try await page in store.allEvents(from: 1, pageSize: 1_000) {
    ///     for event in page { print(event.position) }
    /// }
    /// ```
    ///
    /// The sequence ends at the head as it is when the last page is read.
    public func allEvents(from position: UInt64 = 1, filter: EventFilter = .all, pageSize: Int = 1_000) -> AllEventPages {
        AllEventPages(store: self, from: position, filter: filter, pageSize: pageSize)
    }

    /// A stream read as an asynchronous sequence of pages, in constant memory.
    public func streamEvents(_ stream: StreamName, direction: ReadDirection = .forward, pageSize: Int = 1_000) -> StreamEventPages {
        StreamEventPages(store: self, stream: stream, direction: direction, pageSize: pageSize)
    }
}
