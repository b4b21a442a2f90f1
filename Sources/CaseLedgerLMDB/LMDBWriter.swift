import CLMDB
import CaseLedger
import Dispatch
import Foundation
import Logging

/// The single writer: a dedicated thread that owns every write transaction.
///
/// Callers enqueue appends; the thread drains the queue and commits all that
/// is waiting in one transaction (group commit): one commit and one fsync for
/// many callers. Each append is checked against the transaction as the
/// appends before it left it, and fails alone. `MDB_MAP_FULL` grows the map
/// and retries the whole group; callers never see it.
final class LMDBWriter: @unchecked Sendable {
    private let environment: LMDBEnvironment
    private let condition = NSCondition()
    private var queue: [LMDBWriteRequest] = []
    private var closing = false
    private var lastGroupRequests = 0
    private let finished = DispatchSemaphore(value: 0)
    private let maximumEventsPerCommit: Int
    private let options: EventStoreOptions
    private let metrics: StoreMetrics

    private let onCommit: @Sendable (UInt64) -> Void
    private let inline: InlineProjections?

    init(environment: LMDBEnvironment, maximumEventsPerCommit: Int, options: EventStoreOptions, metrics: StoreMetrics,
         inline: InlineProjections?, onCommit: @escaping @Sendable (UInt64) -> Void) {
        self.onCommit = onCommit
        self.inline = inline
        self.environment = environment
        self.maximumEventsPerCommit = max(1, maximumEventsPerCommit)
        self.options = options
        self.metrics = metrics
        let thread = Thread { [self] in run() }
        thread.name = "caseledger-lmdb-writer"
        thread.start()
    }

    /// Queues a request; `false` when the writer is closing.
    func enqueue(_ request: LMDBWriteRequest) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closing else { return false }
        queue.append(request)
        condition.signal()
        return true
    }

    /// Finishes the queued work and stops the thread.
    func stop() {
        condition.lock()
        let wasClosing = closing
        closing = true
        condition.signal()
        condition.unlock()
        if !wasClosing { finished.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            // Adaptive group commit: when the last commit served several
            // callers, wait a moment (200 µs at most) for the rest of them to
            // queue again, so one fsync serves them all. A lone appender never waits.
            if !closing && lastGroupRequests > 1 && queue.count < lastGroupRequests {
                let deadline = Date(timeIntervalSinceNow: 0.000_2)
                while queue.count < lastGroupRequests && condition.wait(until: deadline) {}
            }
            if queue.isEmpty && closing {
                condition.unlock()
                break
            }
            var group: [LMDBWriteRequest] = []
            var events = 0
            var taken = 0
            for request in queue {
                let count = request.eventCount
                if taken > 0 && events + count > maximumEventsPerCommit { break }
                group.append(request)
                events += count
                taken += 1
            }
            queue.removeFirst(taken)
            condition.unlock()
            lastGroupRequests = taken
            commit(group)
        }
        finished.signal()
    }

    /// Commits a group of appends in one transaction and answers each caller.
    private func commit(_ group: [LMDBWriteRequest]) {
        let started = DispatchTime.now().uptimeNanoseconds
        var results: [Result<[AppendResult], EventStoreError>] = []
        var eventsWritten = 0
        var lastCommittedHead: UInt64?
        var careful = Set<Int>()
        while true {
            let outcome = attempt(group, careful: careful)
            switch outcome {
            case .eventIDExists(let index):
                careful.insert(index)
                continue
            case .committed(let r, let n, let head):
                results = r
                eventsWritten = n
                lastCommittedHead = head
            case .mapFull:
                do throws(LMDBResult) {
                    try environment.grow(minimum: 0)
                    options.logger.info("LMDB map grown", metadata: ["mapSize": "\(environment.mapSize)"])
                    continue
                } catch {
                    results = Array(repeating: .failure(error.storeError), count: group.count)
                }
            case .mapResized:
                do throws(LMDBResult) {
                    try environment.adoptResizedMap()
                    continue
                } catch {
                    results = Array(repeating: .failure(error.storeError), count: group.count)
                }
            case .failed(let error):
                options.logger.error("LMDB commit failed", metadata: ["error": "\(error)"])
                results = Array(repeating: .failure(error), count: group.count)
            }
            break
        }
        var ok = 0
        var failed = 0
        for r in results {
            if case .success = r { ok += 1 } else { failed += 1 }
        }
        metrics.recordCommit(appends: ok, events: eventsWritten, failures: failed,
                             nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
        if let head = lastCommittedHead { onCommit(head) }
        for (request, result) in zip(group, results) {
            request.continuation.resume(returning: result)
        }
    }

    private enum Attempt {
        case committed([Result<[AppendResult], EventStoreError>], Int, UInt64)
        case mapFull
        case mapResized
        case eventIDExists(Int)
        case failed(EventStoreError)
    }

    private func attempt(_ group: [LMDBWriteRequest], careful: Set<Int>) -> Attempt {
        environment.lock.withShared { () -> Attempt in
            guard environment.isOpen else { return .failed(.storeClosed) }
            var raw: OpaquePointer?
            let rc = mdb_txn_begin(environment.env, nil, 0, &raw)
            if rc == MDB_MAP_RESIZED { return .mapResized }
            if rc != MDB_SUCCESS { return .failed(LMDBResult(code: rc, operation: "mdb_txn_begin(write)").storeError) }
            let txn = LMDBTransaction(txn: raw!, dbs: environment.dbs)
            var committed = false
            defer {
                if !committed {
                    mdb_txn_abort(raw)
                    inline?.rollback()
                }
            }
            do throws(LMDBResult) {
                var (head, lastHash) = try txn.head()
                if let inline {
                    do throws(EventStoreError) {
                        try inline.synchronize(head: head, stored: { (slot) throws(EventStoreError) in try txn.storedProjection(slot) },
                                               events: { (from, to) throws(EventStoreError) in try txn.records(from: from, to: to) })
                    } catch {
                        return .failed(error)
                    }
                    inline.begin()
                }
                let now = options.clock()
                var results: [Result<[AppendResult], EventStoreError>] = []
                results.reserveCapacity(group.count)
                var written = 0
                for (index, request) in group.enumerated() {
                    guard case .append(let appends, _, _) = request else {
                        if case .readModels(let writes, _) = request {
                            try writeReadModels(writes, in: txn)
                        }
                        results.append(.success([]))
                        continue
                    }
                    let plan: AppendPlan
                    do throws(EventStoreError) {
                        plan = try AppendPlanner.plan(appends, head: head, lastHash: lastHash,
                                                      view: LMDBAppendView(txn: txn, looksUpEventIDs: careful.contains(index)), now: now)
                    } catch {
                        if error.code == .storage { return .failed(error) }
                        // A refusal on the fast path may be an idempotent
                        // repeat the id lookup would have recognized: decide
                        // it again the careful way.
                        if !careful.contains(index) { return .eventIDExists(index) }
                        results.append(.failure(error))
                        continue
                    }
                    if let inline, !plan.records.isEmpty {
                        do throws(EventStoreError) {
                            var records: [RecordedEvent] = []
                            records.reserveCapacity(plan.records.count)
                            for r in plan.records {
                                do throws(RecordFormatError) { records.append(try RecordFormat.decode(stored: r.value)) } catch {
                                    throw EventStoreError.storage("could not decode a record just encoded: \(error)")
                                }
                            }
                            try inline.stage(records)
                        } catch {
                            results.append(.failure(error))
                            continue
                        }
                    }
                    guard try write(plan, in: txn) else { return .eventIDExists(index) }
                    head = plan.head
                    lastHash = plan.lastHash
                    written += plan.records.count
                    results.append(.success(plan.results))
                }
                if let inline {
                    let writes: [ReadModelWrite]
                    do throws(EventStoreError) {
                        writes = try inline.stagedWrites()
                    } catch {
                        return .failed(error)
                    }
                    try writeReadModels(writes, in: txn)
                }
                try LMDBResult.check(mdb_txn_commit(raw), "mdb_txn_commit")
                committed = true
                inline?.commit()
                return .committed(results, written, head)
            } catch {
                if error.isMapFull { return .mapFull }
                return .failed(error.storeError)
            }
        }
    }

    /// Applies read-model writes.
    private func writeReadModels(_ writes: [ReadModelWrite], in txn: LMDBTransaction) throws(LMDBResult) {
        for w in writes {
            switch w {
            case .saveProjection(let slot, let stored):
                var value = LMDBKeys.position(stored.checkpoint)
                value.append(contentsOf: stored.state)
                try txn.put(txn.dbs.projections, Array(slot.utf8), value)
            case .deleteProjection(let slot):
                try txn.delete(txn.dbs.projections, Array(slot.utf8))
            case .saveSnapshot(let stream, let snapshot):
                var value = LMDBKeys.position(snapshot.version)
                value.append(UInt8(snapshot.schemaVersion >> 8))
                value.append(UInt8(snapshot.schemaVersion & 0xFF))
                value.append(contentsOf: snapshot.state)
                try txn.put(txn.dbs.snapshots, Array(stream.utf8), value)
            }
        }
    }

    /// Writes a plan's records and index entries; `false` when an event id
    /// is already stored (the caller retries that append the careful way).
    private func write(_ plan: AppendPlan, in txn: LMDBTransaction) throws(LMDBResult) -> Bool {
        let dbs = txn.dbs
        let empty: [UInt8] = []
        for record in plan.records {
            try txn.put(dbs.events, LMDBKeys.position(record.position), record.value, flags: MDB_APPEND)
            try txn.put(dbs.streams, LMDBKeys.stream(record.stream, version: record.streamVersion), LMDBKeys.position(record.position))
            guard try txn.put(dbs.eventIDs, LMDBKeys.eventID(record.id), LMDBKeys.position(record.position), flags: MDB_NOOVERWRITE, allowExisting: true) else {
                return false
            }
            try txn.put(dbs.categories, LMDBKeys.category(record.category, position: record.position), empty)
        }
        for (stream, version) in plan.streamHeads {
            try txn.put(dbs.heads, Array(stream.utf8), LMDBKeys.position(version))
        }
        return true
    }
}
