import CaseLedger
import Foundation
import Synchronization

extension EventStoreConformance {
    /// A subscriber started before 16 appending tasks sees every event once, in order.
    static func liveSubscription(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        _ = try await store.append([event("Before")], to: try stream("early-1"))
        let total = 1 + 16 * 25 * 2
        let subscriber = Task { () throws -> [RecordedEvent] in
            var seen: [RecordedEvent] = []
            for try await e in store.subscribe(from: 1, pageSize: 7) {
                seen.append(e)
                if seen.count == total { break }
            }
            return seen
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for i in 0..<25 {
                        _ = try await store.append([event("Live", "\(task)/\(i)"), event("Live2")], to: try stream("live-\(task % 5)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let seen = try await subscriber.value
        let log = try await store.readAll(limit: 10_000)
        try Expect.equal(seen.map(\.position), Array(1...UInt64(total)), "the subscriber saw every position once, in order")
        try Expect.equal(seen.map(\.id), log.map(\.id), "the subscriber's sequence equals the final log")
        await store.close()
    }

    /// A filtered subscription delivers only its category, live.
    static func filteredSubscription(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let subscriber = Task { () throws -> [UInt64] in
            var seen: [UInt64] = []
            for try await e in store.subscribe(from: 1, filter: EventFilter(categories: ["ticket"])) {
                seen.append(e.position)
                if seen.count == 10 { break }
            }
            return seen
        }
        for i in 0..<20 {
            _ = try await store.append([event("E")], to: try stream(i % 2 == 0 ? "ticket-\(i)" : "rating-\(i)"))
        }
        try Expect.equal(try await subscriber.value, stride(from: 1, through: 19, by: 2).map { UInt64($0) }, "only ticket events")
        await store.close()
    }

    /// A subscriber that stops consuming does not hold up appends, and the
    /// subscription ends when the store closes.
    static func slowSubscriber(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let gate = AsyncStream<Void>.makeStream()
        let firstSeen = AsyncStream<Void>.makeStream()
        let subscriber = Task { () throws -> Int in
            var count = 0
            var waited = false
            for try await _ in store.subscribe(from: 1) {
                count += 1
                if !waited {
                    waited = true
                    firstSeen.continuation.yield()
                    for await _ in gate.stream { break }
                }
            }
            return count
        }
        _ = try await store.append([event("First")], to: try stream("slow-1"))
        for await _ in firstSeen.stream { break }
        // The subscriber is parked; 200 appends must still complete.
        for i in 0..<200 {
            _ = try await store.append([event("More", String(i))], to: try stream("slow-\(i % 3)"))
        }
        try Expect.equal(try await store.headPosition(), 201, "appends went on while the subscriber was parked")
        gate.continuation.yield()
        // Let it drain, then close: the subscription must end.
        while true {
            try await Task.sleep(for: .milliseconds(10))
            if try await store.headPosition() == 201 { break }
        }
        try await Task.sleep(for: .milliseconds(50))
        await store.close()
        do {
            let count = try await subscriber.value
            try Expect.that(count <= 201, "the subscriber saw no more than the log holds")
        } catch let error as EventStoreError {
            try Expect.equal(error.code, .storeClosed, "a subscription ends with the store")
        }
    }
}
