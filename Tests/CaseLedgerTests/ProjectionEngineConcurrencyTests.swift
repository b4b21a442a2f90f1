@testable import CaseLedger
import CaseLedgerTestKit
import Foundation
import Testing

/// The engine owns its states: whatever callers do at once, one slot is
/// never folded, saved or read in the middle of a fold twice at the same time.
@Suite("Projection engine under concurrent callers")
struct ProjectionEngineConcurrencyTests {
    /// Counts handlers running at once, per projection.
    final class Overlap: Sendable {
        let state = Locked<(running: [String: Int], most: [String: Int])>(([:], [:]))

        func enter(_ name: String) {
            state.withLock { s in
                s.running[name, default: 0] += 1
                s.most[name] = max(s.most[name] ?? 0, s.running[name] ?? 0)
            }
        }

        func leave(_ name: String) {
            state.withLock { $0.running[name, default: 0] -= 1 }
        }

        var most: [String: Int] { state.withLock { $0.most } }
    }

    /// Sums the amounts of opened cases; each fold step stays in the handler
    /// a moment, so two folds of one slot at once would overlap there.
    struct SlowSum: Projection {
        static let name = "slow-sum"
        let overlap: Overlap
        func initialState() -> [String: Int] { [:] }
        func handlers() -> EventHandlers<[String: Int]> {
            var h = EventHandlers<[String: Int]>()
            let overlap = self.overlap
            h.on(TestDomain.Opened.self) { event, _, state in
                overlap.enter(Self.name)
                defer { overlap.leave(Self.name) }
                usleep(20)
                state[event.caseID, default: 0] += event.amount
            }
            return h
        }
    }

    /// A read-model store that counts saves running at once, keeps every
    /// save's writes, and fails the next save when told to.
    final class SaveCounter: ReadModelStore {
        let inner: InMemoryEventStore
        let saves = Locked<(running: Int, most: Int, total: Int)>((0, 0, 0))
        let recorded = Locked<[[ReadModelWrite]]>([])
        let failNext = Locked(false)
        init(_ inner: InMemoryEventStore) { self.inner = inner }

        func writeReadModels(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
            if failNext.withLock({ f in defer { f = false }; return f }) { throw EventStoreError(code: .noSpace, message: "no space (test)") }
            recorded.withLock { $0.append(writes) }
            saves.withLock { s in
                s.running += 1
                s.total += 1
                s.most = max(s.most, s.running)
            }
            defer { saves.withLock { $0.running -= 1 } }
            try? await Task.sleep(for: .microseconds(200))
            try await inner.writeReadModels(writes)
        }

        func append(_ appends: [StreamAppend]) async throws(EventStoreError) -> [AppendResult] { try await inner.append(appends) }
        func appendAll(expectingHead: LogHead?, _ batches: @escaping @Sendable () -> AsyncThrowingStream<[StreamAppend], any Error>) async throws(EventStoreError) -> BulkAppendResult {
            try await inner.appendAll(expectingHead: expectingHead, batches)
        }
        func readStream(_ stream: StreamName, from version: UInt64?, direction: ReadDirection, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
            try await inner.readStream(stream, from: version, direction: direction, limit: limit)
        }
        func readAll(from position: UInt64, filter: EventFilter, limit: Int) async throws(EventStoreError) -> [RecordedEvent] {
            try await inner.readAll(from: position, filter: filter, limit: limit)
        }
        nonisolated(nonsending) func scanRecords(from position: UInt64, through last: UInt64, category: String?,
                                                 _ visit: (RecordView) throws -> Bool) async throws {
            try await inner.scanRecords(from: position, through: last, category: category, visit)
        }
        nonisolated(nonsending) func scanStream(_ stream: StreamName, from version: UInt64, direction: ReadDirection,
                                                _ visit: (RecordView) throws -> Bool) async throws {
            try await inner.scanStream(stream, from: version, direction: direction, visit)
        }
        nonisolated(nonsending) func scanIndex(_ index: StorageIndex, _ visit: (IndexEntry, RecordView?) throws -> Bool) async throws {
            try await inner.scanIndex(index, visit)
        }
        func head() async throws(EventStoreError) -> LogHead { try await inner.head() }
        func streamVersion(_ stream: StreamName) async throws(EventStoreError) -> UInt64 { try await inner.streamVersion(stream) }
        func statistics() async throws(EventStoreError) -> StoreStatistics { try await inner.statistics() }
        func waitForHead(beyond position: UInt64) async throws(EventStoreError) -> UInt64? { try await inner.waitForHead(beyond: position) }
        func sync() async throws(EventStoreError) { try await inner.sync() }
        func close() async { await inner.close() }
        func loadProjection(slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
            try await inner.loadProjection(slot: slot, tables: tables)
        }
        func loadRows(slot: String, table: String, _ range: RowRange) async throws(EventStoreError) -> [ReadModelRow] {
            try await inner.loadRows(slot: slot, table: table, range)
        }
        func loadSnapshot(stream: String) async throws(EventStoreError) -> AggregateSnapshot? { try await inner.loadSnapshot(stream: stream) }
        func projectionSlots() async throws(EventStoreError) -> [String] { try await inner.projectionSlots() }
    }

    @Test("concurrent catchUp, waitUntilCaughtUp, state(of:), save() and snapshot() never fold or save one slot twice at once")
    func oneFoldAtATime() async throws {
        let registry = TestDomain.registry
        let overlap = Overlap()
        let store = SaveCounter(InMemoryEventStore())
        let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 7, saveEvery: 11))
        try await engine.register(SlowSum(overlap: overlap))
        try await engine.register(TestDomain.Totals())
        try await engine.start()
        let writers = 8
        let each = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<each {
                        let id = "case-\(w)-\(i)"
                        let position = try await store.append([try registry.encode(TestDomain.Opened(caseID: id, amount: 1))],
                                                              to: try StreamName(id)).lastPosition
                        switch i % 5 {
                        case 0: try await engine.waitUntilCaughtUp(to: position)
                        case 1: _ = try await engine.catchUp()
                        case 2: _ = try await engine.state(of: SlowSum.self)
                        case 3: try await engine.save()
                        default: _ = try await engine.snapshot()
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let head = try await store.headPosition()
        try await engine.waitUntilCaughtUp(to: head)
        let sums = try await engine.state(of: SlowSum.self)
        try await engine.stop()
        #expect(sums.count == writers * each, "every event folded once")
        #expect(sums.values.allSatisfy { $0 == 1 }, "no event folded twice")
        #expect(overlap.most[SlowSum.name] == 1, "one fold of the slot at a time")
        let saves = store.saves.withLock { $0 }
        #expect(saves.total > 1)
        #expect(saves.most == 1, "one save at a time")
        let saved = try #require(try await store.loadProjection(slot: SlowSum.name))
        #expect(saved.checkpoint == head, "stop() saves every folded event")
        await store.close()
    }

    @Test("a handler that fails stops the follower; waiters get the error, not a hang")
    func failureReachesWaiters() async throws {
        let registry = TestDomain.registry
        let store = InMemoryEventStore()
        let engine = ProjectionEngine(store: store, registry: registry)
        try await engine.register(TestDomain.OpenCases())
        try await engine.start()
        // Adjusting a case never opened is refused by the projection.
        let position = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "nobody", delta: 1))],
                                              to: try StreamName("case-nobody")).lastPosition
        await #expect(throws: ProjectionError.self) { try await engine.waitUntilCaughtUp(to: position) }
        #expect(await engine.lastError != nil)
        await store.close()
    }
}
