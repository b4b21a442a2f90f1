import CaseLedger
import CaseLedgerService
import CaseLedgerTestKit
import Logging
import ServiceLifecycle
import Testing

@Suite("Store, engine and subscriptions as services")
struct ServiceTests {
    actor Seen {
        var positions: [UInt64] = []
        func add(_ p: UInt64) -> Int {
            positions.append(p)
            return positions.count
        }
    }
    struct Enough: Error {}

    @Test("a subscription service delivers every event in order, live; its handler's failure ends the group with that error, and the store closes")
    func subscription() async throws {
        let store = InMemoryEventStore()
        let events = try TestDomain.workload(count: 120)
        try await TestDomain.bulkAppend(Array(events[0..<50]), to: store, batch: 10)
        let seen = Seen()
        let subscription = SubscriptionService(store: store, from: 1) { event in
            if await seen.add(event.position) == 120 { throw Enough() }
        }
        let group = ServiceGroup(configuration: .init(services: [EventStoreService(store), subscription], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        // These arrive while the subscription is live.
        try await TestDomain.bulkAppend(Array(events[50..<120]), to: store, batch: 10)
        await #expect(throws: Enough.self) { try await running.value }
        #expect(await seen.positions == Array(1...120))
        await #expect(throws: EventStoreError.self, "the store service closed the store") { _ = try await store.headPosition() }
    }

    @Test("an engine in a group follows live, saves nothing before its interval, and saves at the head when the group shuts down")
    func engine() async throws {
        let store = InMemoryEventStore()
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry, options: ProjectionOptions(saveInterval: .seconds(3_600)))
        try await engine.register(TestDomain.Totals())
        // The store stays open after the group, to look at what was saved.
        let group = ServiceGroup(configuration: .init(services: [engine], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while try await engine.status().first?.state != .live && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(try await engine.status().first?.state == .live)
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 200), to: store, batch: 20)
        let head = try await store.headPosition()
        try await engine.waitUntilCaughtUp(to: head)
        #expect(try await store.loadProjection(slot: TestDomain.Totals.name) == nil, "nothing saved yet: the interval is an hour")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try await store.loadProjection(slot: TestDomain.Totals.name)?.checkpoint == head)
        #expect(try await engine.status().first?.state == .stopped)
        await store.close()
    }
}
