import CaseLedger

/// Work queued for the writer thread.
enum LMDBWriteRequest: Sendable {
    /// An append; answered after the group's commit.
    case append([StreamAppend], eventCount: Int, CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>)
    /// Read-model writes, atomic with the rest of the group.
    case readModels([ReadModelWrite], CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>)

    var eventCount: Int {
        switch self {
        case .append(_, let n, _): return n
        case .readModels(let writes, _): return writes.count
        }
    }

    var continuation: CheckedContinuation<Result<[AppendResult], EventStoreError>, Never> {
        switch self {
        case .append(_, _, let c), .readModels(_, let c): return c
        }
    }
}
