extension InMemoryEventStore: StoredRecordScanning {
    /// Hands the stored bytes of a snapshot of the log to `body` (the
    /// category is not used: every record in the range is passed).
    package func scanStoredRecords(from position: UInt64, through last: UInt64, limit: Int, category: String?,
                                   _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try Self.pass(try storedSnapshot(from: position, through: last, limit: limit), to: body)
    }

    package func scanStream(_ stream: String, from version: UInt64, limit: Int,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try Self.pass(try storedSnapshot(stream: stream, from: version, limit: limit), to: body)
    }

    /// Hands each record of a snapshot to `body`; returns how many.
    private static func pass(_ records: some Collection<[UInt8]>, to body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        for bytes in records {
            try bytes.withUnsafeBytes { try body($0) }
        }
        return records.count
    }
}
