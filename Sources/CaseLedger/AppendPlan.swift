/// The outcome of applying the append rules to one request: what to write
/// and what to answer.
package struct AppendPlan: Sendable {
    /// One result per stream part, in request order.
    package var results: [AppendResult]
    /// The records to write, in position order; empty for an idempotent repeat.
    package var records: [PlannedRecord]
    /// Each touched stream's version after the append.
    package var streamHeads: [(stream: String, version: UInt64)]
    /// The log's head position after the append.
    package var head: UInt64
    /// The audit hash of the head record after the append.
    package var lastHash: AuditHash
}
