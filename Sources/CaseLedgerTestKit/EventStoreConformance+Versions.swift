import CaseLedger
import Foundation

extension EventStoreConformance {
    static func expectedVersionRules(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("ticket-9")
        let e = try await Expect.error(.wrongExpectedVersion, "stream exists on a missing stream") {
            try await store.append([event()], to: s, expectedVersion: .streamExists)
        }
        try Expect.equal(e.stream, s.value, "error names the stream")
        try Expect.equal(e.expectedVersion, .streamExists, "error carries the expected version")
        try Expect.equal(e.actualVersion, 0, "error carries the actual version")
        try await Expect.error(.wrongExpectedVersion, "exact 3 on a missing stream") {
            try await store.append([event()], to: s, expectedVersion: .exact(3))
        }
        try Expect.equal(try await store.headPosition(), 0, "failed appends write nothing")

        _ = try await store.append([event(), event()], to: s, expectedVersion: .exact(0))
        try Expect.equal(try await store.streamVersion(s), 2, "exact(0) acts as no-stream")
        let e2 = try await Expect.error(.wrongExpectedVersion, "no-stream on an existing stream") {
            try await store.append([event()], to: s, expectedVersion: .noStream)
        }
        try Expect.equal(e2.actualVersion, 2, "actual version in the error")
        try await Expect.error(.wrongExpectedVersion, "exact 1 when at 2") {
            try await store.append([event()], to: s, expectedVersion: .exact(1))
        }
        try await Expect.error(.wrongExpectedVersion, "exact 3 when at 2") {
            try await store.append([event()], to: s, expectedVersion: .exact(3))
        }
        _ = try await store.append([event()], to: s, expectedVersion: .exact(2))
        _ = try await store.append([event()], to: s, expectedVersion: .streamExists)
        _ = try await store.append([event()], to: s, expectedVersion: .any)
        try Expect.equal(try await store.streamVersion(s), 5, "version after the good appends")
        try Expect.equal(try await store.headPosition(), 5, "head after the good appends")
        await store.close()
    }

    static func multiStreamAtomicity(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let a = try stream("enforcement-1"), b = try stream("enterprise-7"), c = try stream("unit-3")
        _ = try await store.append([event("Seed")], to: c)
        let results = try await store.append([
            StreamAppend(stream: a, expectedVersion: .noStream, events: [event("CaseOpened"), event("ImpactAssessed")]),
            StreamAppend(stream: b, expectedVersion: .noStream, events: [event("CaseLinked")]),
            StreamAppend(stream: c, expectedVersion: .exact(1), events: [event("CaseCounted")]),
        ])
        try Expect.equal(results.map(\.positions), [[2, 3], [4], [5]], "positions of a multi-stream append")
        try Expect.equal(results.map(\.streamVersion), [2, 1, 2], "versions of a multi-stream append")

        // One part failing fails the whole append and writes nothing.
        let e = try await Expect.error(.wrongExpectedVersion, "a failing part") {
            try await store.append([
                StreamAppend(stream: a, expectedVersion: .exact(2), events: [event("Decided")]),
                StreamAppend(stream: b, expectedVersion: .exact(7), events: [event("Nope")]),
            ])
        }
        try Expect.equal(e.stream, b.value, "the error names the failing stream")
        try Expect.equal(try await store.headPosition(), 5, "nothing written by the failed multi-stream append")
        try Expect.equal(try await store.streamVersion(a), 2, "stream a untouched")

        // The same stream twice: the second part sees the first.
        let twice = try await store.append([
            StreamAppend(stream: a, expectedVersion: .exact(2), events: [event("X")]),
            StreamAppend(stream: a, expectedVersion: .exact(3), events: [event("Y")]),
        ])
        try Expect.equal(twice.map(\.streamVersion), [3, 4], "sequential parts on one stream")
        try await Expect.error(.wrongExpectedVersion, "second part with a stale version") {
            try await store.append([
                StreamAppend(stream: a, expectedVersion: .exact(4), events: [event("X")]),
                StreamAppend(stream: a, expectedVersion: .exact(4), events: [event("Y")]),
            ])
        }
        try Expect.equal(try await store.headPosition(), 7, "head after")
        await store.close()
    }
}
