import CaseLedger
import CaseLedgerTestKit
import Foundation
import Testing

/// Following live for a service: folded events are visible at once, saves
/// come after an interval or a count (not after every append), and stopping
/// saves everything folded.
@Suite("Projection engine following live")
struct ProjectionFollowingTests {
    static let registry = TestDomain.registry

    static func append(_ store: InMemoryEventStore, _ events: ArraySlice<(StreamName, EventData)>) async throws -> UInt64 {
        var last: UInt64 = 0
        for (stream, event) in events { last = try await store.append([event], to: stream).lastPosition }
        return last
    }

    static func savedCheckpoint(_ store: InMemoryEventStore) async throws -> UInt64? {
        try await store.loadProjection(slot: TestDomain.Totals.name)?.checkpoint
    }

    @Test("appends are visible when folded; the state is saved once the interval passes, not per append; stop saves the rest")
    func savesByInterval() async throws {
        let store = InMemoryEventStore()
        let events = try TestDomain.workload(count: 300)
        _ = try await Self.append(store, events[0..<100])
        let engine = ProjectionEngine(store: store, registry: Self.registry, options: ProjectionOptions(saveInterval: .seconds(3_600)))
        try await engine.register(TestDomain.Totals())
        try await engine.start()
        #expect(try await Self.savedCheckpoint(store) == 100, "catching up saves")
        for (stream, event) in events[100..<200] {
            let position = try await store.append([event], to: stream).lastPosition
            try await engine.waitUntilCaughtUp(to: position)
            #expect(try await engine.checkpoint(of: TestDomain.Totals.name) ?? 0 >= position, "visible once folded")
        }
        #expect(try await Self.savedCheckpoint(store) == 100, "no save per append within the interval")
        let status = try await engine.status()
        #expect(status.map(\.state) == [.live])
        #expect(status.first?.savedCheckpoint == 100 && status.first?.checkpoint == 200 && status.first?.lagEvents == 0)
        try await engine.stop()
        #expect(try await Self.savedCheckpoint(store) == 200, "stopping saves what was folded")
        #expect(try await engine.status().map(\.state) == [.stopped])

        // A short interval: the follower saves by itself, once the interval has passed.
        let quick = ProjectionEngine(store: store, registry: Self.registry, options: ProjectionOptions(saveInterval: .milliseconds(50)))
        try await quick.register(TestDomain.Totals())
        try await quick.start()
        let last = try await Self.append(store, events[200..<300])
        try await quick.waitUntilCaughtUp(to: last)
        let deadline = ContinuousClock.now + .seconds(30)
        while try await Self.savedCheckpoint(store) != last, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await Self.savedCheckpoint(store) == last, "saved after the interval without a stop")
        try await quick.stop()
        await store.close()
    }

    @Test("follow() runs in the caller's task: cancelling it stops following and saves; a failure is thrown, not swallowed")
    func structured() async throws {
        let store = InMemoryEventStore()
        let events = try TestDomain.workload(count: 120)
        let engine = ProjectionEngine(store: store, registry: Self.registry, options: ProjectionOptions(saveInterval: .seconds(3_600)))
        try await engine.register(TestDomain.Totals())
        let following = Task { try await engine.follow() }
        let last = try await Self.append(store, events[0..<120])
        try await engine.waitUntilCaughtUp(to: last)
        following.cancel()
        try await following.value
        #expect(try await Self.savedCheckpoint(store) == last)
        #expect(try await engine.status().first?.state == .stopped)

        // A projection that throws: follow() ends with its error, and status says failed.
        struct Refuses: Projection {
            static let name = "refuses"
            var filter: EventFilter { EventFilter(categories: ["case"]) }
            func initialState() -> Int { 0 }
            func apply(_ envelope: EventEnvelope, to state: inout Int) throws {
                state += 1
                if envelope.position > 125 { throw CodecError("refused at \(envelope.position)") }
            }
        }
        let failing = ProjectionEngine(store: store, registry: Self.registry)
        try await failing.register(Refuses())
        let run = Task { try await failing.follow() }
        _ = try await Self.append(store, try TestDomain.workload(count: 10, start: 500)[0..<10])
        let error = await #expect(throws: ProjectionError.self) { try await run.value }
        #expect(error?.message.contains("refused at") == true, "\(String(describing: error))")
        guard case .failed(let why)? = try await failing.status().first?.state else {
            Issue.record("not failed")
            return
        }
        #expect(why.contains("refused at"))
        await store.close()
    }
}
