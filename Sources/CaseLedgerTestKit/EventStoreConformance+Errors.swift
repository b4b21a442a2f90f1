import CaseLedger
import Foundation

extension EventStoreConformance {
    static func invalidInput(_ make: ConformanceCase.StoreFactory) async throws {
        for bad in ["", String(repeating: "a", count: 201), "ticket\n1", "ticket\u{0}1", "tab\there", "del\u{7F}"] {
            do {
                _ = try StreamName(bad)
                throw ConformanceFailure("stream name \(bad.debugDescription) was accepted")
            } catch let error as EventStoreError {
                try Expect.equal(error.code, .invalidStreamName, "code for \(bad.debugDescription)")
            }
        }
        _ = try StreamName(String(repeating: "a", count: 200))
        _ = try StreamName("案件-咸宁-2025")
        try Expect.equal(try StreamName("ticket-2025-00017").category, "ticket", "category before the first dash")
        try Expect.equal(try StreamName("plain").category, "plain", "category of a name without a dash")

        let store = try await make(EventStoreOptions())
        let s = try stream("ticket-1")
        try await Expect.error(.emptyBatch, "an append with no events") {
            try await store.append([], to: s)
        }
        try await Expect.error(.emptyBatch, "an append with no parts") {
            try await store.append([StreamAppend]())
        }
        try await Expect.error(.emptyBatch, "a multi-stream append with an empty part") {
            try await store.append([StreamAppend(stream: s, events: [event()]), StreamAppend(stream: try stream("b-1"), events: [])])
        }
        try await Expect.error(.invalidArgument, "an empty type name") {
            try await store.append([event("")], to: s)
        }
        try await Expect.error(.invalidArgument, "schema version 0") {
            try await store.append([EventData(type: "A", schemaVersion: 0, payload: [])], to: s)
        }
        try await Expect.error(.invalidArgument, "read-all with limit 0") {
            try await store.readAll(from: 1, filter: .all, limit: 0)
        }
        try await Expect.error(.invalidArgument, "read stream with limit 0") {
            try await store.readStream(s, from: nil, direction: .forward, limit: 0)
        }
        try Expect.equal(try await store.headPosition(), 0, "invalid input writes nothing")
        await store.close()
    }

    static func payloadLimit(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions(maximumPayloadSize: 1_024))
        let s = try stream("big-1")
        _ = try await store.append([EventData(type: "Fits", payload: [UInt8](repeating: 7, count: 1_024))], to: s)
        let e = try await Expect.error(.payloadTooLarge, "a payload one byte over") {
            try await store.append([event("Small"), EventData(id: id(5), type: "Big", payload: [UInt8](repeating: 7, count: 1_025))], to: s)
        }
        try Expect.equal(e.eventID, id(5), "the error names the event")
        try Expect.equal(try await store.headPosition(), 1, "nothing of the refused batch is written")
        await store.close()

        let defaults = try await make(EventStoreOptions())
        let over = EventData(type: "Big", payload: [UInt8](repeating: 1, count: 16 * 1_024 * 1_024 + 1))
        try await Expect.error(.payloadTooLarge, "the default limit is 16 MiB") {
            try await defaults.append([over], to: s)
        }
        let exact = EventData(type: "Big", payload: [UInt8](repeating: 1, count: 16 * 1_024 * 1_024))
        _ = try await defaults.append([exact], to: s)
        let back = try await defaults.readStream(s)
        try Expect.equal(back.first?.payload.count, 16 * 1_024 * 1_024, "a 16 MiB payload round-trips")
        await defaults.close()
    }

    static func closedStore(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("t-1")
        _ = try await store.append([event()], to: s)
        await store.close()
        try await Expect.error(.storeClosed, "append after close") { try await store.append([event()], to: s) }
        try await Expect.error(.storeClosed, "read-all after close") { try await store.readAll(limit: 1) }
        try await Expect.error(.storeClosed, "read stream after close") { try await store.readStream(s) }
        try await Expect.error(.storeClosed, "head after close") { try await store.headPosition() }
        try await Expect.error(.storeClosed, "version after close") { try await store.streamVersion(s) }
    }
}
