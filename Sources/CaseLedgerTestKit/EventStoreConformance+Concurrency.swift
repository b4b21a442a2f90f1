import CaseLedger
import Foundation

extension EventStoreConformance {
    /// 32 tasks append to 4 hot streams with expected versions: every append
    /// commits or fails with a wrong expected version; no version is written
    /// twice; no acknowledged event is lost.
    static func hotStreams(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let streams = try (0..<4).map { try stream("hot-\($0)") }
        let outcomes = try await withThrowingTaskGroup(of: ([UUID], Int).self) { group in
            for task in 0..<32 {
                group.addTask {
                    var acknowledged: [UUID] = []
                    var conflicts = 0
                    for round in 0..<15 {
                        let s = streams[(task + round) % 4]
                        let version = try await store.streamVersion(s)
                        let e = event("Hot", "\(task)/\(round)", id: id(task * 1_000 + round, 7))
                        do {
                            let r = try await store.append([e], to: s, expectedVersion: .exact(version))
                            try Expect.equal(r.streamVersion, version + 1, "the version written follows the expected one")
                            acknowledged.append(e.id)
                        } catch let error as EventStoreError {
                            try Expect.equal(error.code, .wrongExpectedVersion, "a concurrent append fails only on version")
                            conflicts += 1
                        }
                    }
                    return (acknowledged, conflicts)
                }
            }
            var all: [([UUID], Int)] = []
            for try await o in group { all.append(o) }
            return all
        }
        let acknowledged = outcomes.flatMap(\.0)
        let conflicts = outcomes.reduce(0) { $0 + $1.1 }
        try Expect.equal(acknowledged.count + conflicts, 32 * 15, "every append committed or conflicted")
        let log = try await store.readAll(limit: 10_000)
        try Expect.equal(log.map(\.position), Array(1...UInt64(log.count)), "positions are contiguous")
        try Expect.equal(log.count, acknowledged.count, "exactly the acknowledged events are stored")
        try Expect.equal(Set(log.map(\.id)), Set(acknowledged), "no acknowledged event is lost")
        for s in streams {
            let versions = try await store.readStream(s).map(\.streamVersion)
            try Expect.equal(versions, Array(1...UInt64(versions.count)), "no version of \(s) written twice or skipped")
        }
        await store.close()
    }

    /// 64 tasks append single events at once; all commit, contiguously.
    static func concurrentAppenders(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    let s = try stream("appender-\(task)")
                    for i in 0..<20 {
                        let r = try await store.append([event("A", String(i))], to: s, expectedVersion: .exact(UInt64(i)))
                        try Expect.equal(r.streamVersion, UInt64(i + 1), "version of appender \(task)")
                    }
                }
            }
            try await group.waitForAll()
        }
        try Expect.equal(try await store.headPosition(), 1_280, "head after 64 × 20 appends")
        let log = try await store.readAll(limit: 2_000)
        try Expect.equal(log.map(\.position), Array(1...1_280), "contiguous positions")
        await store.close()
    }
}
