import CaseLedger
import Foundation

extension EventStoreConformance {
    static func emptyStore(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        try Expect.equal(try await store.headPosition(), 0, "head of an empty store")
        try Expect.equal(try await store.readAll(limit: 10).count, 0, "read-all of an empty store")
        let s = try stream("ticket-1")
        try Expect.equal(try await store.streamVersion(s), 0, "version of a missing stream")
        try Expect.equal(try await store.readStream(s).count, 0, "read of a missing stream")
        try Expect.equal(try await store.readStream(s, from: nil, direction: .backward, limit: 5).count, 0, "backward read of a missing stream")
        await store.close()
    }

    static func contiguousPositions(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let a = try stream("ticket-2025-00017")
        let b = try stream("unit-42")
        let when = Timestamp(microsecondsSince1970: 1_735_689_600_123_456)
        var metadata = EventMetadata(recordedAt: when, correlationID: id(900), causationID: id(901), actor: "officer-7")
        metadata.properties = ["channel": "evaluation-app", "区": "咸安", "z": ""]
        let first = try await store.append([
            EventData(id: id(1), type: "TicketFiled", schemaVersion: 2, payload: [0, 1, 2, 255], metadata: metadata),
            event("TicketAssessed", "risk", id: id(2)),
        ], to: a, expectedVersion: .noStream)
        try Expect.equal(first.positions, [1, 2], "positions of the first append")
        try Expect.equal(first.streamVersion, 2, "stream version after the first append")
        try Expect.that(!first.wasAlreadyStored, "a new append is not a repeat")
        let second = try await store.append([event("UnitRated", "5", id: id(3))], to: b)
        try Expect.equal(second.positions, [3], "positions continue across streams")
        try Expect.equal(second.streamVersion, 1, "a new stream starts at version 1")
        let third = try await store.append([event("TicketAssigned", "", id: id(4))], to: a, expectedVersion: .exact(2))
        try Expect.equal(third.positions, [4], "positions continue")
        try Expect.equal(third.streamVersion, 3, "stream version continues")
        try Expect.equal(try await store.headPosition(), 4, "head position")
        try Expect.equal(try await store.streamVersion(a), 3, "version of stream a")
        try Expect.equal(try await store.streamVersion(b), 1, "version of stream b")

        let all = try await store.readAll(limit: 100)
        try Expect.equal(all.map(\.position), [1, 2, 3, 4], "read-all positions")
        try Expect.equal(all.map(\.stream.value), [a.value, a.value, b.value, a.value], "read-all streams")
        try Expect.equal(all.map(\.streamVersion), [1, 2, 1, 3], "read-all versions")
        let r = all[0]
        try Expect.equal(r.id, id(1), "event id round-trip")
        try Expect.equal(r.type, "TicketFiled", "type round-trip")
        try Expect.equal(r.schemaVersion, 2, "schema version round-trip")
        try Expect.equal(r.payload, [0, 1, 2, 255], "payload round-trip")
        try Expect.equal(r.metadata, metadata, "metadata round-trip")
        try Expect.equal(r.category, "ticket", "category")
        try Expect.equal(all[2].category, "unit", "category of b")
        await store.close()
    }

    static func recordedAtStamping(_ make: ConformanceCase.StoreFactory) async throws {
        let fixed = Timestamp(microsecondsSince1970: 1_700_000_000_000_000)
        let store = try await make(EventStoreOptions(clock: { fixed }))
        let s = try stream("case-1")
        let given = Timestamp(microsecondsSince1970: 1_600_000_000_000_001)
        _ = try await store.append([
            event("A"),
            event("B", metadata: EventMetadata(recordedAt: given)),
        ], to: s)
        let events = try await store.readStream(s)
        try Expect.equal(events[0].recordedAt, fixed, "an event without a time is stamped by the store's clock")
        try Expect.equal(events[1].recordedAt, given, "an event with a time keeps it")
        await store.close()
    }

    static func largeBatch(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("bulk-1")
        let events = (0..<10_000).map { event("Bulk", String($0), id: id($0)) }
        let result = try await store.append(events, to: s, expectedVersion: .noStream)
        try Expect.equal(result.positions.count, 10_000, "positions of a 10,000-event batch")
        try Expect.equal(result.positions.first, 1, "first position")
        try Expect.equal(result.positions.last, 10_000, "last position")
        let back = try await store.readStream(s, from: 9_999, direction: .forward, limit: 10)
        try Expect.equal(back.map { String(decoding: $0.payload, as: UTF8.self) }, ["9998", "9999"], "tail of the batch")
        await store.close()
    }
}
