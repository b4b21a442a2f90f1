import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import CaseWorkload
import Foundation

/// The library's side of each case.
enum Cases {
    static let payload = [UInt8](repeating: 0x61, count: 64)

    static func event(_ i: Int) -> EventData {
        EventData(type: "Bench", payload: payload, metadata: EventMetadata(recordedAt: Timestamp(microsecondsSince1970: 1_735_689_600_000_000 + Int64(i))))
    }

    static func streamName(_ s: Int) -> StreamName {
        try! StreamName("ticket-" + String(repeating: "0", count: 8 - String(s).count) + String(s))
    }

    /// Appends `events` single-event parts over `streams` streams in batches; returns (seconds, stored value size).
    static func append(path: String, events: Int, batch: Int, streams: Int, durability: LMDBDurability) async throws -> (Double, Int) {
        let store = try LMDBEventStore(configuration: LMDBConfiguration(path: path, durability: durability, initialMapSize: 1 << 30))
        var versions = [UInt64](repeating: 0, count: streams)
        var batches: [[StreamAppend]] = []
        var position = 0
        while position < events {
            var parts: [StreamAppend] = []
            for _ in 0..<min(batch, events - position) {
                position += 1
                let s = position % streams
                parts.append(StreamAppend(stream: streamName(s), expectedVersion: .exact(versions[s]), events: [event(position)]))
                versions[s] += 1
            }
            batches.append(parts)
        }
        let seconds = try await Measure.seconds {
            for parts in batches { _ = try await store.append(parts) }
        }
        var size = 0
        try await store.scanRecords(from: 1, through: 1, category: nil) { record in
            size = record.stored.count
            return false
        }
        try await store.sync()
        await store.close()
        return (seconds, size)
    }

    /// `tasks` concurrent appenders, each appending `each` single events durably.
    static func groupCommit(path: String, tasks: Int, each: Int) async throws -> Double {
        let store = try LMDBEventStore(configuration: LMDBConfiguration(path: path, durability: .durable, initialMapSize: 1 << 30))
        let seconds = try await Measure.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for t in 0..<tasks {
                    group.addTask {
                        let s = streamName(t)
                        for i in 0..<each { _ = try await store.append([event(i)], to: s) }
                    }
                }
                try await group.waitForAll()
            }
        }
        await store.close()
        return Double(tasks * each) / seconds
    }

    /// Rebuilds every read model over the store; returns events per second
    /// and the read models' digests.
    static func rebuild(path: String) async throws -> (Double, [String: String]) {
        let store = try LMDBEventStore(path: path)
        let head = try await store.headPosition()
        let engine = ProjectionEngine(store: store, registry: CaseEvents.registry(), options: ProjectionOptions(pageSize: 4_096, saveEvery: 10_000_000))
        try await CityProjections.register(in: engine)
        var digests: [String: String] = [:]
        let seconds = try await Measure.seconds { digests = try await engine.rebuild() }
        await store.close()
        return (Double(head) / seconds, digests)
    }

    /// Loads a 10-event ticket aggregate `rounds` times; returns loads per second.
    static func aggregateLoad(path: String, stream: StreamName, rounds: Int) async throws -> Double {
        let store = try LMDBEventStore(path: path)
        let repository = AggregateRepository<Ticket>(store: store, registry: CaseEvents.registry())
        var versions: UInt64 = 0
        let seconds = try await Measure.seconds {
            for _ in 0..<rounds { versions &+= try await repository.load(stream).version }
        }
        await store.close()
        guard versions == UInt64(rounds) * 10 else { throw BenchError("the aggregate stream does not hold 10 events") }
        return Double(rounds) / seconds
    }

    /// Reads every event with a trivial fold; returns the peak anonymous RSS sampled.
    static func streamingMemory(path: String) async throws -> (Double, UInt64) {
        let store = try LMDBEventStore(path: path)
        var peak = Measure.anonymousRSS()
        var count: UInt64 = 0
        var sum: UInt64 = 0
        for try await page in store.allEvents(pageSize: 1_000) {
            for e in page { sum &+= UInt64(e.payload.count); count += 1 }
            if count % 50_000 < 1_000 { peak = max(peak, Measure.anonymousRSS()) }
        }
        peak = max(peak, Measure.anonymousRSS())
        await store.close()
        _ = sum
        return (peak, count)
    }
}
