import CaseLedger

/// Work queued for the writer thread.
enum LMDBWriteRequest: Sendable {
    /// An append; answered after the group's commit.
    case append([StreamAppend], eventCount: Int, CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>)
}
