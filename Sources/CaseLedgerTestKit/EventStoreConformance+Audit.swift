import CaseLedger
import Foundation

extension EventStoreConformance {
    static func auditChain(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions(clock: { Timestamp(microsecondsSince1970: 42) }))
        for i in 0..<20 {
            _ = try await store.append([event("E", String(i), id: id(i)), event("F", id: id(i, 1))], to: try stream("audit-\(i % 3)"))
        }
        var previous = AuditHash.genesis
        for e in try await store.readAll(limit: 1_000) {
            let canonical = RecordFormat.canonicalBytes(
                position: e.position, stream: e.stream.value, streamVersion: e.streamVersion,
                event: EventData(id: e.id, type: e.type, schemaVersion: e.schemaVersion, payload: e.payload, metadata: e.metadata),
                recordedAt: e.recordedAt
            )
            let expected = AuditHash.chain(previous: previous, canonical: canonical)
            try Expect.equal(e.hash, expected, "hash of position \(e.position)")
            previous = e.hash
        }
        await store.close()
    }
}
