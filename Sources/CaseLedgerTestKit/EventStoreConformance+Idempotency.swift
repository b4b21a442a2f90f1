import CaseLedger
import Foundation

extension EventStoreConformance {
    static func idempotentAppend(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("ticket-5")
        let events = [event("A", "a", id: id(1)), event("B", "b", id: id(2))]
        _ = try await store.append([event("Before", id: id(0))], to: try stream("other-1"))
        let first = try await store.append(events, to: s, expectedVersion: .noStream)
        _ = try await store.append([event("After", id: id(3))], to: s)
        // The retry of a committed append: same ids, same content, even with an expected version now stale.
        let again = try await store.append(events, to: s, expectedVersion: .noStream)
        try Expect.equal(again.positions, first.positions, "a repeat returns the original positions")
        try Expect.equal(again.streamVersion, 2, "a repeat returns the original stream version")
        try Expect.that(again.wasAlreadyStored, "a repeat says it was already stored")
        try Expect.equal(try await store.headPosition(), 4, "a repeat writes nothing")
        // Multi-stream repeat.
        let multi = [
            StreamAppend(stream: try stream("m-1"), events: [event("M", id: id(10))]),
            StreamAppend(stream: try stream("m-2"), events: [event("M", id: id(11))]),
        ]
        let m1 = try await store.append(multi)
        let m2 = try await store.append(multi)
        try Expect.equal(m2.map(\.positions), m1.map(\.positions), "multi-stream repeat")
        try Expect.equal(try await store.headPosition(), 6, "multi-stream repeat writes nothing")
        await store.close()
    }

    static func eventIDReuse(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("ticket-6")
        _ = try await store.append([event("A", "a", id: id(1))], to: s)
        let e = try await Expect.error(.eventIDReused, "same id, other payload") {
            try await store.append([event("A", "changed", id: id(1))], to: s)
        }
        try Expect.equal(e.eventID, id(1), "the error names the id")
        try Expect.equal(e.position, 1, "the error names the stored position")
        try await Expect.error(.eventIDReused, "same id, other type") {
            try await store.append([event("Z", "a", id: id(1))], to: s)
        }
        try await Expect.error(.eventIDReused, "same id, other stream") {
            try await store.append([event("A", "a", id: id(1))], to: try stream("ticket-7"))
        }
        try await Expect.error(.eventIDReused, "same id, other metadata") {
            try await store.append([event("A", "a", id: id(1), metadata: EventMetadata(actor: "x"))], to: s)
        }
        try await Expect.error(.eventIDReused, "a batch mixing stored and new ids") {
            try await store.append([event("A", "a", id: id(1)), event("B", "b", id: id(2))], to: s)
        }
        try await Expect.error(.eventIDReused, "an id twice in one batch") {
            try await store.append([event("B", "b", id: id(3)), event("B", "b", id: id(3))], to: s)
        }
        try await Expect.error(.eventIDReused, "an id twice across parts") {
            try await store.append([
                StreamAppend(stream: s, events: [event("B", id: id(4))]),
                StreamAppend(stream: try stream("x-1"), events: [event("B", id: id(4))]),
            ])
        }
        try Expect.equal(try await store.headPosition(), 1, "refused appends write nothing")
        try Expect.equal(try await store.readAll(limit: 10).map(\.id), [id(1)], "only the first event is stored")
        await store.close()
    }
}
