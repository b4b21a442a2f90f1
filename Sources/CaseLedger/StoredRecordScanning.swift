/// A store that hands its stored records to a closure in place, in position
/// order, from one consistent snapshot — the projection engine's fast path
/// (no record is copied or decoded before a fold asks for it).
package protocol StoredRecordScanning: Sendable {
    /// Calls `body` with the stored bytes (canonical bytes and hash) of each
    /// record from `position` through `last`, at most `limit` of them, in
    /// position order. With a `category`, records of other categories may be
    /// left out. The bytes are valid only during the call.
    ///
    /// - Returns: how many records were passed to `body`; fewer than `limit`
    ///   means every record through `last` was seen.
    func scanStoredRecords(from position: UInt64, through last: UInt64, limit: Int, category: String?,
                           _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int

    /// Calls `body` with the stored bytes of a stream's records from
    /// `version` on, at most `limit`, in version order, from one snapshot.
    ///
    /// - Returns: how many records were passed to `body`.
    func scanStream(_ stream: String, from version: UInt64, limit: Int,
                    _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int
}
