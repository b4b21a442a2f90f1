import Foundation
import Logging
import Synchronization

/// An event store held in memory, with the same rules as every other backend.
///
/// For tests and small embeddings. Appends are serialized by a lock; every
/// record carries its audit hash like a durable store's.
///
/// ```swift
/// let store = InMemoryEventStore()
/// let stream = try StreamName("ticket-1")
/// _ = try await store.append([EventData(type: "TicketFiled", payload: [])], to: stream)
/// print(try await store.headPosition()) // 1
/// ```
public final class InMemoryEventStore: ReadModelStore {
    struct State {
        var records: [RecordedEvent] = []
        var stored: [[UInt8]] = []
        var streams: [String: [UInt64]] = [:]
        var categories: [String: [UInt64]] = [:]
        var ids: [UUID: UInt64] = [:]
        var lastHash = AuditHash.genesis
        var closed = false
        var projections: [String: StoredProjection] = [:]
        var snapshots: [String: AggregateSnapshot] = [:]
    }

    struct View: AppendStorageView {
        let state: State
        func currentVersion(of stream: String) throws(EventStoreError) -> UInt64 {
            UInt64(state.streams[stream]?.count ?? 0)
        }
        func position(ofEventID id: UUID) throws(EventStoreError) -> UInt64? {
            state.ids[id]
        }
        func record(at position: UInt64) throws(EventStoreError) -> RecordedEvent {
            state.records[Int(position - 1)]
        }
    }

    private let state = Mutex(State())
    private let options: EventStoreOptions
    private let metrics: StoreMetrics
    private let notifier = HeadNotifier()

    private let inline: InlineProjections?

    /// Creates an empty store.
    ///
    /// - Parameters:
    ///   - options: limits, logger, metrics and clock.
    ///   - inlineProjections: projections updated with every append.
    public init(options: EventStoreOptions = EventStoreOptions(), inlineProjections: InlineProjections? = nil) {
        self.options = options
        self.inline = inlineProjections
        self.metrics = StoreMetrics(backend: "memory", factory: options.metricsFactory)
    }

    public func append(_ appends: [StreamAppend]) async throws(EventStoreError) -> [AppendResult] {
        do {
            try AppendPlanner.validate(appends, maximumPayloadSize: options.maximumPayloadSize)
        } catch {
            metrics.failures.increment()
            throw error
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let now = options.clock()
        let result: Result<(AppendPlan, Int), EventStoreError> = state.withLock { s in
            guard !s.closed else { return .failure(.storeClosed) }
            let plan: AppendPlan
            do throws(EventStoreError) {
                plan = try AppendPlanner.plan(appends, head: UInt64(s.records.count), lastHash: s.lastHash, view: View(state: s), now: now)
            } catch {
                return .failure(error)
            }
            var records: [RecordedEvent] = []
            records.reserveCapacity(plan.records.count)
            for planned in plan.records {
                do throws(RecordFormatError) {
                    records.append(try RecordFormat.decode(stored: planned.value))
                } catch {
                    return .failure(.storage("could not decode a record just encoded: \(error)"))
                }
            }
            if let inline, !records.isEmpty {
                inline.begin()
                do throws(EventStoreError) {
                    try inline.stage(records)
                    for case .saveProjection(let slot, let stored) in try inline.stagedWrites() {
                        s.projections[slot] = stored
                    }
                } catch {
                    inline.rollback()
                    return .failure(error)
                }
                inline.commit()
            }
            for (planned, record) in zip(plan.records, records) {
                s.records.append(record)
                s.stored.append(planned.value)
                s.streams[planned.stream, default: []].append(planned.position)
                s.categories[planned.category, default: []].append(planned.position)
                s.ids[planned.id] = planned.position
            }
            s.lastHash = plan.lastHash
            return .success((plan, plan.records.count))
        }
        switch result {
        case .success(let (plan, written)):
            notifier.advance(to: plan.head)
            metrics.recordCommit(appends: 1, events: written, failures: 0,
                                 nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
            return plan.results
        case .failure(let error):
            metrics.failures.increment()
            throw error
        }
    }

    public func readStream(_ stream: StreamName, from version: UInt64?, direction: ReadDirection, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try state.withLock { (s) throws(EventStoreError) -> [RecordedEvent] in
            guard !s.closed else { throw EventStoreError.storeClosed }
            guard let positions = s.streams[stream.value] else { return [] }
            var out: [RecordedEvent] = []
            switch direction {
            case .forward:
                var i = Int(max(1, version ?? 1)) - 1
                while i < positions.count && out.count < limit {
                    out.append(s.records[Int(positions[i] - 1)])
                    i += 1
                }
            case .backward:
                guard let from = version ?? UInt64(positions.count) as UInt64?, from >= 1 else { return [] }
                var i = Int(min(from, UInt64(positions.count))) - 1
                while i >= 0 && out.count < limit {
                    out.append(s.records[Int(positions[i] - 1)])
                    i -= 1
                }
            }
            return out
        }
    }

    public func readAll(from position: UInt64, filter: EventFilter, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try state.withLock { (s) throws(EventStoreError) -> [RecordedEvent] in
            guard !s.closed else { throw EventStoreError.storeClosed }
            let start = max(1, position)
            var out: [RecordedEvent] = []
            if let categories = filter.categories {
                // Merge the categories' position lists from `start`.
                var candidates: [UInt64] = []
                for c in categories {
                    guard let list = s.categories[c] else { continue }
                    var lo = 0, hi = list.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if list[mid] < start { lo = mid + 1 } else { hi = mid }
                    }
                    candidates.append(contentsOf: list[lo...].prefix(limit))
                }
                candidates.sort()
                for p in candidates {
                    let r = s.records[Int(p - 1)]
                    if filter.matches(r) {
                        out.append(r)
                        if out.count == limit { break }
                    }
                }
                return out
            }
            var i = Int(min(start, UInt64(s.records.count) + 1)) - 1
            while i < s.records.count && out.count < limit {
                let r = s.records[i]
                if filter.matches(r) { out.append(r) }
                i += 1
            }
            return out
        }
    }

    public func readStoredRecords(from position: UInt64, limit: Int) async throws(EventStoreError) -> [StoredRecord] {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try state.withLock { (s) throws(EventStoreError) -> [StoredRecord] in
            guard !s.closed else { throw EventStoreError.storeClosed }
            let start = Int(max(1, position)) - 1
            guard start < s.stored.count else { return [] }
            return (start..<min(s.stored.count, start + limit)).map { StoredRecord(position: UInt64($0 + 1), bytes: s.stored[$0]) }
        }
    }

    /// The stored bytes of records `position...last`, at most `limit`.
    func storedSnapshot(from position: UInt64, through last: UInt64, limit: Int) throws(EventStoreError) -> ArraySlice<[UInt8]> {
        try state.withLock { (s) throws(EventStoreError) -> ArraySlice<[UInt8]> in
            guard !s.closed else { throw EventStoreError.storeClosed }
            let start = Int(max(1, position)) - 1
            let byLimit = limit > s.stored.count - start ? s.stored.count : start + limit
            let end = min(s.stored.count, Int(clamping: last), byLimit)
            guard start < end else { return [] }
            return s.stored[start..<end]
        }
    }

    /// The stored bytes of a stream's records from `version` on, at most `limit`.
    func storedSnapshot(stream: String, from version: UInt64, limit: Int) throws(EventStoreError) -> [[UInt8]] {
        try state.withLock { (s) throws(EventStoreError) -> [[UInt8]] in
            guard !s.closed else { throw EventStoreError.storeClosed }
            guard let positions = s.streams[stream] else { return [] }
            let start = Int(min(max(1, version), UInt64(positions.count) + 1)) - 1
            return positions[start...].prefix(limit).map { s.stored[Int($0 - 1)] }
        }
    }

    public func headPosition() async throws(EventStoreError) -> UInt64 {
        try state.withLock { (s) throws(EventStoreError) -> UInt64 in
            guard !s.closed else { throw EventStoreError.storeClosed }
            return UInt64(s.records.count)
        }
    }

    public func streamVersion(_ stream: StreamName) async throws(EventStoreError) -> UInt64 {
        try state.withLock { (s) throws(EventStoreError) -> UInt64 in
            guard !s.closed else { throw EventStoreError.storeClosed }
            return UInt64(s.streams[stream.value]?.count ?? 0)
        }
    }

    public func sync() async throws(EventStoreError) {
        try state.withLock { (s) throws(EventStoreError) in
            guard !s.closed else { throw EventStoreError.storeClosed }
        }
    }

    public func waitForHead(beyond position: UInt64) async throws(EventStoreError) -> UInt64? {
        try state.withLock { (s) throws(EventStoreError) in
            guard !s.closed else { throw EventStoreError.storeClosed }
        }
        return await notifier.wait(beyond: position)
    }

    public func close() async {
        state.withLock { $0.closed = true }
        notifier.close()
    }

    public func loadProjection(slot: String) async throws(EventStoreError) -> StoredProjection? {
        try state.withLock { (s) throws(EventStoreError) -> StoredProjection? in
            guard !s.closed else { throw EventStoreError.storeClosed }
            return s.projections[slot]
        }
    }

    public func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot? {
        try state.withLock { (s) throws(EventStoreError) -> AggregateSnapshot? in
            guard !s.closed else { throw EventStoreError.storeClosed }
            return s.snapshots[stream]
        }
    }

    public func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
        try state.withLock { (s) throws(EventStoreError) in
            guard !s.closed else { throw EventStoreError.storeClosed }
            for w in writes {
                switch w {
                case .saveProjection(let slot, let p): s.projections[slot] = p
                case .deleteProjection(let slot): s.projections[slot] = nil
                case .saveSnapshot(let stream, let snap): s.snapshots[stream] = snap
                }
            }
        }
    }

    public func projectionSlots() async throws(EventStoreError) -> [String] {
        try state.withLock { (s) throws(EventStoreError) -> [String] in
            guard !s.closed else { throw EventStoreError.storeClosed }
            return s.projections.keys.sorted()
        }
    }
}
