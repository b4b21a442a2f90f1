import CaseLedger

/// Group commit for PostgreSQL: appends that arrive while a transaction is
/// running wait and go together in the next one.
actor PostgresAppendQueue {
    typealias Completion = CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>
    private var pending: [([StreamAppend], Completion)] = []
    private var running = false
    private let commit: @Sendable ([[StreamAppend]]) async -> [Result<[AppendResult], EventStoreError>]

    init(commit: @escaping @Sendable ([[StreamAppend]]) async -> [Result<[AppendResult], EventStoreError>]) {
        self.commit = commit
    }

    func submit(_ appends: [StreamAppend]) async -> Result<[AppendResult], EventStoreError> {
        await withCheckedContinuation { (continuation: Completion) in
            pending.append((appends, continuation))
            if !running {
                running = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            var group: [([StreamAppend], Completion)] = []
            var events = 0
            while !pending.isEmpty && (group.isEmpty || events + pending[0].0.reduce(0, { $0 + $1.events.count }) <= 50_000) {
                let next = pending.removeFirst()
                events += next.0.reduce(0) { $0 + $1.events.count }
                group.append(next)
            }
            let results = await commit(group.map(\.0))
            for ((_, continuation), result) in zip(group, results) { continuation.resume(returning: result) }
        }
        running = false
    }
}
