import CaseLedger
import Foundation

/// The projection, aggregate, snapshot and upcasting checks every backend
/// with read-model storage passes.
///
/// ```swift
/// @Test(arguments: ProjectionConformance.cases)
/// func projections(_ check: ProjectionConformance.Case) async throws {
///     try await check.run { inline in InMemoryEventStore(inlineProjections: inline) }
/// }
/// ```
public enum ProjectionConformance {
    /// Makes a fresh, empty store, with the given inline projections.
    public typealias StoreFactory = @Sendable (InlineProjections?) async throws -> any ReadModelStore

    /// One named check.
    public typealias Case = ConformanceCheck<StoreFactory>

    /// Every check.
    public static let cases: [Case] = [
        Case(name: "inline projection reads its writes and refuses bad events", body: inlineProjection),
        Case(name: "digests agree: incremental, rebuild, replay, reload", body: digestsAgree),
        Case(name: "point in time by position and by time", body: pointInTime),
        Case(name: "rebuild while appends continue", body: rebuildWhileAppending),
        Case(name: "stored version-1 events read as current types", body: upcasting),
        Case(name: "aggregate commands retry on conflict, no lost update", body: aggregateConcurrency),
        Case(name: "snapshots used, and ignored after a schema change", body: snapshots),
        Case(name: "typed handlers fold like envelopes, upcasts and metadata included", body: typedHandlers),
        Case(name: "keyed tables: changed rows saved, read by key and range, digests agree", body: keyedTables),
        Case(name: "keyed tables: two writers of a slot, and inline", body: keyedWriters),
    ]

    static let registry = TestDomain.registry

    static func inlineProjection(_ make: StoreFactory) async throws {
        let inline = InlineProjections(registry: registry, [TestDomain.OpenCases()])
        let store = try await make(inline)
        let c1 = try StreamName("case-1")
        _ = try await store.append([try registry.encode(TestDomain.Opened(caseID: "case-1", amount: 100))], to: c1)
        try Expect.equal(inline.state(of: TestDomain.OpenCases.self) ?? [:], ["case-1": 100], "read right after the append")
        _ = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "case-1", delta: -30))], to: c1)
        try Expect.equal(inline.state(of: TestDomain.OpenCases.self) ?? [:], ["case-1": 70], "second append folded")
        let stored = try await store.loadProjection(slot: TestDomain.OpenCases.name)
        try Expect.equal(stored?.checkpoint, 2, "state and checkpoint stored with the events")
        let decoded = try BinaryCodec().decode([String: Int].self, from: stored?.state ?? [])
        try Expect.equal(decoded, ["case-1": 70], "stored state")

        // An event the projection refuses: the append fails and writes nothing.
        let e = try await Expect.error(.projectionRejected, "adjusting a case never opened") {
            try await store.append([
                try registry.encode(TestDomain.Opened(caseID: "case-2", amount: 5)),
                try registry.encode(TestDomain.Adjusted(caseID: "case-9", delta: 1)),
            ], to: try StreamName("case-2"))
        }
        try Expect.that(e.message.contains("case-9"), "the error says why: \(e.message)")
        try Expect.equal(try await store.headPosition(), 2, "nothing written")
        try Expect.equal(inline.state(of: TestDomain.OpenCases.self) ?? [:], ["case-1": 70], "state unchanged")
        try Expect.equal(try await store.loadProjection(slot: TestDomain.OpenCases.name)?.checkpoint, 2, "stored checkpoint unchanged")

        // Concurrent appends: the state reflects every committed event.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    let s = try StreamName("case-t\(t)")
                    _ = try await store.append([try registry.encode(TestDomain.Opened(caseID: "case-t\(t)", amount: t))], to: s)
                    for _ in 0..<10 {
                        _ = try await store.append([try registry.encode(TestDomain.Adjusted(caseID: "case-t\(t)", delta: 1))], to: s)
                    }
                }
            }
            try await group.waitForAll()
        }
        let state = inline.state(of: TestDomain.OpenCases.self) ?? [:]
        for t in 0..<8 { try Expect.equal(state["case-t\(t)"], t + 10, "case-t\(t) after concurrent appends") }
        try Expect.equal(inline.checkpoint(of: TestDomain.OpenCases.name), try await store.headPosition(), "checkpoint at the head")
        await store.close()
    }

    static func digestsAgree(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        let events = try TestDomain.workload(count: 3_000)
        try await TestDomain.bulkAppend(Array(events.prefix(2_000)), to: store)
        let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 256, saveEvery: 500))
        try await engine.register(TestDomain.Totals())
        try await engine.catchUp()
        // Incremental: the rest in small appends.
        try await TestDomain.append(Array(events.suffix(1_000)), to: store)
        try await engine.catchUp()
        let incremental = try await engine.digest(of: TestDomain.Totals.name)
        let state = try await engine.state(of: TestDomain.Totals.self)
        try Expect.equal(state.events, events.filter { $0.0.category == "case" }.count, "every case event folded once")

        let replay = try await ProjectionReplayer(store: store, registry: registry, pageSize: 333).replay([TestDomain.Totals()])
        try Expect.equal(replay.digests[TestDomain.Totals.name], incremental, "replay at the head equals the incremental run")
        try Expect.equal(replay.position, 3_000, "replay position")

        let rebuilt = try await engine.rebuild()
        try Expect.equal(rebuilt[TestDomain.Totals.name], incremental, "a rebuild equals the incremental run")
        let second = try await engine.rebuild()
        try Expect.equal(second[TestDomain.Totals.name], incremental, "two rebuilds agree")
        try Expect.that(try await store.loadProjection(slot: ProjectionEngine.rebuildSlot(of: TestDomain.Totals.name)) == nil, "rebuild slot removed")

        // A new engine loads the saved state and checkpoint.
        let reloaded = ProjectionEngine(store: store, registry: registry)
        try await reloaded.register(TestDomain.Totals())
        try Expect.equal(await reloaded.checkpoint(of: TestDomain.Totals.name), 3_000, "saved checkpoint")
        try Expect.equal(try await reloaded.digest(of: TestDomain.Totals.name), incremental, "saved state")
        await store.close()
    }

    static func pointInTime(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        let events = try TestDomain.workload(count: 1_000)
        try await TestDomain.bulkAppend(events, to: store)
        let engine = ProjectionEngine(store: store, registry: registry)
        try await engine.register(TestDomain.Totals())
        try await engine.catchUp()
        let live = try await engine.digest(of: TestDomain.Totals.name)
        let liveStored = try await store.loadProjection(slot: TestDomain.Totals.name)

        let replayer = ProjectionReplayer(store: store, registry: registry, pageSize: 100)
        let at400 = try await replayer.replay([TestDomain.Totals()], asOf: .position(400))
        try Expect.equal(at400.position, 400, "as-of position")
        let expected400 = events.prefix(400).filter { $0.0.category == "case" }.count
        try Expect.equal(at400.state(of: TestDomain.Totals.self)?.events, expected400, "events folded up to 400")
        // Event i is recorded at start + i seconds: as of start + 399 s is the same first 400 events.
        let byTime = try await replayer.replay([TestDomain.Totals()], asOf: .time(Timestamp(microsecondsSince1970: 1_735_689_600_000_000 + 399 * 1_000_000)))
        try Expect.equal(byTime.digests, at400.digests, "as of a time equals as of the matching position")
        let atHead = try await replayer.replay([TestDomain.Totals()], asOf: .head)
        try Expect.equal(atHead.digests[TestDomain.Totals.name], live, "as of the head equals the live read model")
        try Expect.equal(try await engine.digest(of: TestDomain.Totals.name), live, "the live read model is untouched")
        try Expect.equal(try await store.loadProjection(slot: TestDomain.Totals.name), liveStored, "the stored read model is untouched")
        await store.close()
    }

    static func rebuildWhileAppending(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        let events = try TestDomain.workload(count: 4_000)
        try await TestDomain.bulkAppend(Array(events.prefix(2_000)), to: store)
        let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(pageSize: 100, saveEvery: 300))
        try await engine.register(TestDomain.Totals())
        try await engine.start()
        let appender = Task {
            try await TestDomain.append(Array(events.suffix(2_000)), to: store)
        }
        let reports = ProgressLog()
        let digests = try await engine.rebuild { reports.add($0) }
        try await appender.value
        let head = try await store.headPosition()
        try await engine.waitUntilCaughtUp(to: head)
        let final = try await engine.digest(of: TestDomain.Totals.name)
        let replay = try await ProjectionReplayer(store: store, registry: registry).replay([TestDomain.Totals()])
        try Expect.equal(final, replay.digests[TestDomain.Totals.name], "after the switch the live model equals a full replay")
        try Expect.that(digests[TestDomain.Totals.name] != nil, "the rebuild returned a digest")
        let seen = reports.all
        try Expect.that(!seen.isEmpty, "progress was reported")
        try Expect.that(seen.allSatisfy { $0.eventsDone <= $0.eventsTotal }, "done never exceeds total")
        try Expect.equal(seen.last?.fraction, 1, "progress ends at 100%")
        try await engine.stop()
        await store.close()
    }

    static func upcasting(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        // Written by old code: the old Opened (v1) and the retired Settled type.
        var oldRegistry = EventTypeRegistry()
        oldRegistry.register(TestDomain.OpenedV1.self)
        oldRegistry.register(TestDomain.SettledV1.self)
        let s = try StreamName("case-old")
        _ = try await store.append([
            try oldRegistry.encode(TestDomain.OpenedV1(caseID: "case-old", amount: "250")),
            try oldRegistry.encode(TestDomain.SettledV1(caseID: "case-old", finalDelta: -50)),
        ], to: s)
        let stored = try await store.readStream(s)
        try Expect.equal(stored.map(\.type), ["TestOpened", "TestSettled"], "stored events are never rewritten")
        try Expect.equal(stored.map(\.schemaVersion), [1, 1], "stored schema versions")

        // Read through the new definitions.
        let opened = try registry.decode(stored[0], as: TestDomain.Opened.self)
        try Expect.equal(opened, TestDomain.Opened(caseID: "case-old", amount: 250, label: "upcast"), "v1 read as v2")
        let split = try registry.decodeAll(stored[1])
        try Expect.equal(split.count, 2, "a retired type split into two events")
        try Expect.that(split[0] is TestDomain.Adjusted && split[1] is TestDomain.Closed, "renamed and split types")

        let aggregate = try await AggregateRepository<TestDomain.Case>(store: store, registry: registry).load(s)
        try Expect.equal(aggregate.state.amount, 200, "the aggregate folds upcast events")
        try Expect.that(aggregate.state.closed, "the split closure reached the aggregate")
        let replay = try await ProjectionReplayer(store: store, registry: registry).replay([TestDomain.Totals()])
        let totals = replay.state(of: TestDomain.Totals.self)
        try Expect.equal(totals?.amounts["case-old"], 200, "the projection folds upcast events")
        try Expect.equal(totals?.events, 3, "one stored event became two")
        await store.close()
    }

    static func aggregateConcurrency(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        // 16 writers on one stream: a writer may lose many rounds in a row
        // while the others make progress, for as long as the test runs on a
        // busy machine. The budget bounds the whole test, not one command.
        let repository = AggregateRepository<TestDomain.Case>(store: store, registry: registry, retry: ConflictRetry(timeBudget: .seconds(600)))
        let s = try StreamName("case-hot")
        try await repository.execute(s) { _ in [TestDomain.Opened(caseID: "case-hot", amount: 0)] }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<10 {
                        try await repository.execute(s) { state in
                            guard !state.closed else { throw TestDomain.Refused("case-hot is closed") }
                            return [TestDomain.Adjusted(caseID: "case-hot", delta: 1)]
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let loaded = try await repository.load(s)
        try Expect.equal(loaded.state.amount, 160, "no lost update among 16 concurrent writers")
        try Expect.equal(loaded.version, 161, "one event per command")
        try await repository.execute(s) { _ in [TestDomain.Closed(caseID: "case-hot")] }
        do {
            try await repository.execute(s) { state in
                guard !state.closed else { throw TestDomain.Refused("case-hot is closed") }
                return [TestDomain.Adjusted(caseID: "case-hot", delta: 1)]
            }
            throw ConformanceFailure("a refused command appended")
        } catch is TestDomain.Refused {}
        try Expect.equal(try await store.streamVersion(s), 162, "a refused command writes nothing")
        // Derived ids: the same command at the same version gives the same ids.
        let derived = AggregateRepository<TestDomain.Case>(store: store, registry: registry, ids: .derived(namespace: UUID(uuidString: "11111111-2222-4333-8444-555555555555")!))
        let d = try StreamName("case-derived")
        try await derived.execute(d, metadata: EventMetadata(recordedAt: Timestamp(microsecondsSince1970: 5))) { _ in [TestDomain.Opened(caseID: "case-derived", amount: 1)] }
        let first = try await store.readStream(d)[0].id
        try Expect.equal(first, EventIDStrategy.derived(namespace: UUID(uuidString: "11111111-2222-4333-8444-555555555555")!).id(stream: "case-derived", version: 1), "derived id")
        await store.close()
    }

    static func snapshots(_ make: StoreFactory) async throws {
        let store = try await make(nil)
        let repository = AggregateRepository<TestDomain.Case>(store: store, registry: registry, snapshots: .every(10))
        let s = try StreamName("case-snap")
        try await repository.execute(s) { _ in [TestDomain.Opened(caseID: "case-snap", amount: 1, label: "x")] }
        for _ in 0..<24 {
            try await repository.execute(s) { _ in [TestDomain.Adjusted(caseID: "case-snap", delta: 2)] }
        }
        let snapshot = try await store.loadSnapshot(stream: s.value)
        try Expect.equal(snapshot?.version, 20, "snapshot at the last multiple of 10")
        try Expect.equal(snapshot?.schemaVersion, 1, "snapshot schema version")
        let withSnapshot = try await repository.load(s)
        try Expect.that(withSnapshot.fromSnapshot, "loading starts from the snapshot")
        let plain = try await AggregateRepository<TestDomain.Case>(store: store, registry: registry).load(s)
        try Expect.that(!plain.fromSnapshot, "a repository without snapshots folds from 1")
        try Expect.equal(withSnapshot.state, plain.state, "snapshot + tail equals the full fold")
        try Expect.equal(withSnapshot.version, 25, "version")

        // The state type changed (schema version 2): the old snapshot is ignored, then replaced.
        let v2 = AggregateRepository<TestDomain.CaseV2>(store: store, registry: registry, snapshots: .every(10))
        let loaded = try await v2.load(s)
        try Expect.that(!loaded.fromSnapshot, "a snapshot of another schema version is ignored")
        try Expect.equal(loaded.state, TestDomain.CaseV2(amount: 49, adjustments: 24, label: "x"), "full fold with the new type")
        for _ in 0..<5 {
            try await v2.execute(s) { _ in [TestDomain.Adjusted(caseID: "case-snap", delta: 1)] }
        }
        try Expect.equal(try await store.loadSnapshot(stream: s.value)?.schemaVersion, 2, "the snapshot is replaced at the new schema version")
        let again = try await v2.load(s)
        try Expect.that(again.fromSnapshot, "the new snapshot is used")
        try Expect.equal(again.state.amount, 54, "state after the new snapshot")
        await store.close()
    }
}

/// Collects progress reports from a callback.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [RebuildProgress] = []
    func add(_ p: RebuildProgress) { lock.withLock { reports.append(p) } }
    var all: [RebuildProgress] { lock.withLock { reports } }
}

extension TestDomain.CaseV2 {
    init(amount: Int, adjustments: Int, label: String) {
        self.init()
        self.amount = amount
        self.adjustments = adjustments
        self.label = label
    }
}
