import CaseLedger
import Foundation

extension EventStoreConformance {
    static func auditChain(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions(clock: { Timestamp(microsecondsSince1970: 42) }))
        for i in 0..<20 {
            _ = try await store.append([event("E", String(i), id: id(i)), event("F", id: id(i, 1))], to: try stream("audit-\(i % 3)"))
        }
        let events = try await store.readAll(limit: 1_000)
        var previous = AuditHash.genesis
        var index = 0
        var failure: String?
        try await store.scanRecords(from: 1, through: .max, category: nil) { record in
            let e = events[index]
            index += 1
            // The hash is SHA-256 of the previous hash and the stored canonical bytes.
            if AuditHash.chain(previous: previous, canonical: record.canonicalBytes) != record.hash || !record.chains(from: previous) {
                failure = "position \(record.position) does not chain from the one before"
            } else if record.hash != e.hash || record.position != e.position || record.streamName != e.stream.value
                        || record.eventID != e.id || !record.payload.elementsEqual(e.payload) {
                failure = "position \(record.position): the stored record and the read event differ"
            }
            previous = record.hash
            return failure == nil
        }
        if let failure { throw ConformanceFailure(failure) }
        try Expect.equal(index, 40, "every record visited")
        try Expect.equal(try await store.head().hash, previous, "the head's hash is the last record's")
        await store.close()
    }
}
