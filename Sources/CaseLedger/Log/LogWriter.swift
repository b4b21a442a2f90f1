import Foundation
import Logging

/// A change waiting for the writer.
enum WriteRequest: Sendable {
    /// An append of one or more stream parts, with its event count.
    case append([StreamAppend], events: Int)
    /// Read-model writes, applied in a transaction of their own (a failed
    /// one, such as a ``ReadModelWrite/requireCheckpoint(slot:_:)`` not met,
    /// never fails appends).
    case readModels([ReadModelWrite])
    /// Many appends in one transaction of their own (see ``EventLog/appendAll(expectingHead:_:)``).
    case bulk(BulkAppend)

    /// How much of a group the request takes: a bulk append and read-model
    /// writes take a whole one.
    func weight(maximum: Int) -> Int {
        switch self {
        case .append(_, let events): return events
        case .readModels, .bulk: return maximum
        }
    }
}

/// Appends fed in batches to one transaction.
struct BulkAppend: Sendable {
    /// Makes the batches; called again if the storage runs the transaction again.
    let batches: @Sendable () -> AsyncThrowingStream<[StreamAppend], any Error>
    /// The head the log must have at the end, or the transaction is abandoned.
    let expectingHead: LogHead?
}

/// The one writer of an ``EventLog``: a task that takes the requests waiting
/// in its queue and commits them together, in one storage transaction
/// (group commit). Each request is decided on its own inside that
/// transaction and fails alone; a transaction that fails fails every request
/// of its group and writes nothing.
///
/// The task runs on the storage's ``EventStorage/writeExecutor`` when it has
/// one (LMDB's writer thread), so a transaction never changes thread.
final class LogWriter<Storage: EventStorage>: Sendable {
    typealias Completion = CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>

    private let queue: WriteQueue
    private let loop: Task<Void, Never>

    init(storage: Storage, options: EventStoreOptions, metrics: StoreMetrics, inline: InlineFold?,
         onCommit: @escaping @Sendable (UInt64) -> Void) {
        let queue = WriteQueue(maximumEvents: options.maximumEventsPerCommit, gathers: storage.writeExecutor != nil)
        self.queue = queue
        self.loop = Task(executorPreference: storage.writeExecutor) {
            var committer = GroupCommitter(storage: storage, options: options, metrics: metrics, inline: inline, onCommit: onCommit)
            while let group = await queue.next() {
                await committer.commit(group)
            }
        }
    }

    /// Queues a request and waits for its outcome.
    func submit(_ request: WriteRequest) async -> Result<[AppendResult], EventStoreError> {
        await withCheckedContinuation { (continuation: Completion) in
            if !queue.enqueue(request, continuation) {
                continuation.resume(returning: .failure(.storeClosed))
            }
        }
    }

    /// Lets the queued requests finish, then ends the writer task.
    func stop() async {
        queue.close()
        await loop.value
    }
}

/// Decides and commits groups of requests; owned by the writer task.
struct GroupCommitter<Storage: EventStorage> {
    typealias Group = [(request: WriteRequest, completion: LogWriter<Storage>.Completion)]

    let storage: Storage
    let options: EventStoreOptions
    let metrics: StoreMetrics
    var inline: InlineFold?
    let onCommit: @Sendable (UInt64) -> Void

    /// Abandons a transaction to decide it again with event ids looked up:
    /// an id of the request at `index` is already stored.
    private struct LookUpIDs: Error {
        let index: Int
    }

    /// What one transaction decided and wrote.
    private struct Outcome {
        var results: [Result<[AppendResult], EventStoreError>]
        var events: Int
        var head: UInt64
        var inline: [any FoldSlot]?
    }

    mutating func commit(_ group: Group) async {
        let started = DispatchTime.now().uptimeNanoseconds
        let requests = group.map(\.request)
        var careful = Set<Int>()
        var outcome: Outcome
        while true {
            do {
                outcome = try await storage.write { [careful, inline] txn in
                    try await Self.decide(requests, careful: careful, inline: inline, options: options, in: &txn)
                }
                break
            } catch let retry as LookUpIDs {
                careful.insert(retry.index)
            } catch {
                let failure = error as? EventStoreError ?? EventStoreError.storage("\(error)")
                options.logger.error("commit failed", metadata: ["backend": "\(storage.name)", "error": "\(failure)"])
                outcome = Outcome(results: Array(repeating: .failure(failure), count: group.count), events: 0, head: 0, inline: nil)
                break
            }
        }
        if let working = outcome.inline { inline?.committed(working) }
        var appended = 0
        var refused = 0
        for (request, result) in zip(requests, outcome.results) {
            switch request {
            case .append, .bulk: if case .success = result { appended += 1 } else { refused += 1 }
            case .readModels: continue
            }
        }
        if appended > 0 {
            metrics.recordCommit(appends: appended, events: outcome.events, failures: refused,
                                 nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
        } else if refused > 0 {
            metrics.failures.increment(by: refused)
        }
        if outcome.events > 0 { onCommit(outcome.head) }
        for ((_, completion), result) in zip(group, outcome.results) {
            completion.resume(returning: result)
        }
    }

    /// Decides every request of a group inside one transaction and writes
    /// what the accepted ones add.
    private static func decide(
        _ requests: [WriteRequest], careful: Set<Int>, inline: InlineFold?,
        options: EventStoreOptions, in txn: inout Storage.Transaction
    ) async throws -> Outcome {
        let head = try await txn.head()
        var working = try await inline?.synchronized(in: txn, head: head.position)
        var streams: [String] = []
        var seen = Set<String>()
        if requests.count == 1, case .bulk(let bulk) = requests[0] {
            return try await decideBulk(bulk, head: head, working: working, inline: inline, options: options, in: &txn)
        }
        for case .append(let appends, _) in requests {
            for part in appends where seen.insert(part.stream.value).inserted { streams.append(part.stream.value) }
        }
        var versions = streams.isEmpty ? [:] : try await txn.streamVersions(streams)
        var batch = RecordBatch()
        var readModelWrites: [ReadModelWrite] = []
        var results: [Result<[AppendResult], EventStoreError>] = []
        results.reserveCapacity(requests.count)
        let now = options.clock()
        for (index, request) in requests.enumerated() {
            switch request {
            case .readModels(let writes):
                readModelWrites += writes
                results.append(.success([]))
            case .bulk:
                results.append(.failure(EventStoreError.invalidArgument("a bulk append commits in a transaction of its own")))
            case .append(let appends, _):
                if careful.contains(index), let repeated = try await repeatResults(appends, staged: batch, in: txn) {
                    results.append(repeated)
                    continue
                }
                var planned = RecordBatch()
                var requestVersions = versions
                let tail = LogHead(position: batch.isEmpty ? head.position : batch.lastPosition,
                                   hash: batch.isEmpty ? head.hash : batch.lastHash)
                do throws(EventStoreError) {
                    let answer = try AppendPlanner.plan(appends, after: tail, versions: &requestVersions, now: now, into: &planned)
                    if let registry = inline?.projections.registry, var staged = working {
                        try InlineFold.stage(planned, into: &staged, registry: registry)
                        working = staged
                    }
                    versions = requestVersions
                    batch.append(contentsOf: planned)
                    results.append(.success(answer))
                } catch {
                    // Refused as new: it may still be a repeat of stored
                    // events, which idempotency answers before any other rule.
                    if !careful.contains(index), let repeated = try await repeatResults(appends, staged: batch, in: txn) {
                        results.append(repeated)
                    } else {
                        results.append(.failure(error))
                    }
                }
            }
        }
        if !batch.isEmpty {
            if case .eventIDExists(let id) = try await txn.insert(batch) {
                let index = requests.indices.first { i in
                    if case .append(let appends, _) = requests[i] { return appends.contains { $0.events.contains { $0.id == id } } }
                    return false
                } ?? 0
                guard !careful.contains(index) else {
                    throw EventStoreError.corrupted("the event id index and the log disagree about event \(id.uuidString)")
                }
                throw LookUpIDs(index: index)
            }
            if let working { readModelWrites += try InlineFold.writes(working) }
        }
        if !readModelWrites.isEmpty { try await txn.apply(readModelWrites) }
        return Outcome(results: results, events: batch.count, head: batch.isEmpty ? head.position : batch.lastPosition,
                       inline: batch.isEmpty ? nil : working)
    }

    /// Decides a bulk append: every batch planned, staged into the inline
    /// projections and inserted in turn, in this one transaction; any refusal
    /// abandons all of it.
    private static func decideBulk(
        _ bulk: BulkAppend, head: LogHead, working initial: [any FoldSlot]?, inline: InlineFold?,
        options: EventStoreOptions, in txn: inout Storage.Transaction
    ) async throws -> Outcome {
        var working = initial
        var tip = head
        var versions: [String: UInt64] = [:]
        var appended = 0
        var positions: [UInt64] = []
        let now = options.clock()
        for try await appends in bulk.batches() {
            guard !appends.isEmpty else { continue }
            try AppendPlanner.validate(appends, maximumPayloadSize: options.maximumPayloadSize)
            let unknown = AppendPlanner.streams(of: appends).filter { versions[$0] == nil }
            if !unknown.isEmpty {
                let stored = try await txn.streamVersions(unknown)
                for name in unknown { versions[name] = stored[name] ?? 0 }
            }
            var planned = RecordBatch()
            let results = try AppendPlanner.plan(appends, after: tip, versions: &versions, now: now, into: &planned)
            if let registry = inline?.projections.registry, var staged = working {
                try InlineFold.stage(planned, into: &staged, registry: registry)
                working = staged
            }
            if case .eventIDExists(let id) = try await txn.insert(planned) {
                throw EventStoreError.eventIDReused(id, position: nil, reason: "is already stored; nothing of the bulk append was written")
            }
            tip = LogHead(position: planned.lastPosition, hash: planned.lastHash)
            appended += planned.count
            if positions.isEmpty, let first = results.first?.positions.first { positions.append(first) }
        }
        if let expected = bulk.expectingHead, expected != tip {
            throw EventStoreError(code: .wrongExpectedVersion,
                                  message: "the log would end at position \(tip.position) with hash \(tip.hash.hex), not at \(expected.position) with \(expected.hash.hex); nothing was written",
                                  position: tip.position)
        }
        if appended > 0, let working { try await txn.apply(try InlineFold.writes(working)) }
        // Carried back as one result: the first and last positions written.
        let summary = AppendResult(positions: appended == 0 ? [] : [positions.first ?? tip.position, tip.position],
                                   streamVersion: 0, wasAlreadyStored: false)
        return Outcome(results: [.success([summary])], events: appended, head: tip.position, inline: appended > 0 ? working : nil)
    }

    /// For a request decided carefully: the answer when some of its event
    /// ids are stored (or staged earlier in the group), `nil` when none is.
    private static func repeatResults(_ appends: [StreamAppend], staged: RecordBatch, in txn: Storage.Transaction) async throws
        -> Result<[AppendResult], EventStoreError>? {
        let ids = appends.flatMap { $0.events.map(\.id) }
        var known = try await txn.positions(ofEventIDs: ids)
        var stagedPositions: [UUID: UInt64] = [:]
        if !staged.isEmpty {
            let wanted = Set(ids)
            try staged.forEach { view throws(EventStoreError) in
                let id = view.eventID
                if wanted.contains(id) { stagedPositions[id] = view.position }
            }
            known.merge(stagedPositions) { $1 }
        }
        guard !known.isEmpty else { return nil }
        // The stored records of the known ids, copied out of their pages.
        var records: [UInt64: [UInt8]] = [:]
        let stagedSet = Set(stagedPositions.values)
        try await txn.scanRecords(at: known.values.filter { !stagedSet.contains($0) }.sorted()) { position, stored in
            records[position] = Array(stored)
        }
        try staged.forEach { view throws(EventStoreError) in
            if stagedSet.contains(view.position) { records[view.position] = Array(view.stored) }
        }
        do {
            return .success(try AppendPlanner.repeatResults(appends, known: known, records: records))
        } catch let error as EventStoreError {
            return .failure(error)
        }
    }
}

/// The writer's queue: appenders push from any thread; the writer task takes
/// everything waiting (up to a number of events) as one group.
///
/// When the writer has a thread of its own (``EventStorage/writeExecutor``)
/// and its last group served several callers, it waits for as many to queue
/// again while they keep arriving (at most 3 ms, and never 1 ms without an
/// arrival), so that one commit and one sync serve them all; a lone appender
/// never waits.
final class WriteQueue: @unchecked Sendable {
    // Invariant that makes the class Sendable: every stored `var` below is
    // read and written only with `mutex` locked.
    typealias Entry = (request: WriteRequest, completion: CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>)

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var pending: [Entry] = []
    private var waiting: CheckedContinuation<Void, Never>?
    private var closing = false
    private var lastGroup = 0
    /// When the last request arrived, in nanoseconds of the real-time clock.
    private var lastArrival: UInt64 = 0
    private let maximumEvents: Int
    private let gathers: Bool

    init(maximumEvents: Int, gathers: Bool) {
        self.maximumEvents = max(1, maximumEvents)
        self.gathers = gathers
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Queues a request; `false` once the queue is closed.
    func enqueue(_ request: WriteRequest, _ completion: CheckedContinuation<Result<[AppendResult], EventStoreError>, Never>) -> Bool {
        pthread_mutex_lock(mutex)
        guard !closing else {
            pthread_mutex_unlock(mutex)
            return false
        }
        pending.append((request, completion))
        if gathers { lastArrival = Self.now() }
        let writer = waiting
        waiting = nil
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        writer?.resume()
        return true
    }

    /// Refuses new requests; the writer finishes those queued, then stops.
    func close() {
        pthread_mutex_lock(mutex)
        closing = true
        let writer = waiting
        waiting = nil
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        writer?.resume()
    }

    /// The next group, waiting for one; `nil` once closed and drained.
    func next() async -> [Entry]? {
        while true {
            switch take() {
            case .group(let group): return group
            case .closed: return nil
            case .empty:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    pthread_mutex_lock(mutex)
                    if pending.isEmpty && !closing {
                        waiting = continuation
                        pthread_mutex_unlock(mutex)
                    } else {
                        pthread_mutex_unlock(mutex)
                        continuation.resume()
                    }
                }
            }
        }
    }

    /// The real-time clock in nanoseconds (the clock `pthread_cond_timedwait` uses).
    private static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    private enum Taken {
        case group([Entry])
        case empty
        case closed
    }

    private func take() -> Taken {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if gathers && !closing && lastGroup > 1 && !pending.isEmpty && pending.count < lastGroup {
            // Wait for the callers of the last group to queue again, while
            // they keep arriving: until the group is as large as the last,
            // no caller has arrived for 1 ms, or 3 ms have passed.
            let start = Self.now()
            while pending.count < lastGroup && !closing {
                let deadline = min(start + 3_000_000, lastArrival + 1_000_000)
                if Self.now() >= deadline { break }
                var wake = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                _ = pthread_cond_timedwait(condition, mutex, &wake)
            }
        }
        guard !pending.isEmpty else { return closing ? .closed : .empty }
        var events = 0
        var taken = 0
        for entry in pending {
            let count = entry.request.weight(maximum: maximumEvents)
            if taken > 0 && events + count > maximumEvents { break }
            events += count
            taken += 1
        }
        let group = Array(pending.prefix(taken))
        pending.removeFirst(taken)
        lastGroup = taken
        return .group(group)
    }
}
