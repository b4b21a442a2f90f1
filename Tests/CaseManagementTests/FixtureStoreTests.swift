import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation
import Testing

/// A store written before the case events' codecs were generated from their
/// schemas (Tests/Fixtures): it must read back exactly as it did then.
@Suite("A store from before reads the same")
struct FixtureStoreTests {
    /// What the fixture held when it was made (caseledger 0.2.0, scale 0.01, seed 2025).
    static let headHash = "b7d91ed5eedf6c8791cb0a26ef84d0a6d71586394b9668f7ab92be3562555bc9"
    static let digests = [
        "checkup-register": "5f1272d3c233bd36179c3390524cf2813e69c9bb3cbb8654f1ae6d82cae4d863",
        "evaluation-scores": "c67a4e356925e2e80c0da265c512ae8809a0ef1b2c9ef93b867dc51900201882",
        "penalty-register": "9b8f23f2e8db5c399b8334dd00e622b1461803c2e36ce5739d60871da708a5a8",
        "ticket-board": "5e9d7d806dca553a49eb0cd273e51fde7f118926632937063aa3d9a68107b765",
    ]

    /// The fixture, unpacked into a temporary store.
    static func unpacked() throws -> String {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/year-2025-scale-0.01.mdb.gz").path
        let dir = NSTemporaryDirectory() + "caseledger-fixture-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gunzip -c '\(fixture)' > '\(dir)/data.mdb'"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "cannot unpack \(fixture)")
        return dir
    }

    @Test("same head hash, same read-model digests; every case event decodes and encodes back to its stored bytes")
    func readsTheSame() async throws {
        let dir = try Self.unpacked()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try LMDBEventStore(path: dir, access: .readOnly)
        let registry = CaseEvents.registry()
        #expect(try await store.head().hash.hex == Self.headHash)
        let replay = try await ProjectionReplayer(store: store, registry: registry).replay(CityProjections.all)
        #expect(replay.digests == Self.digests)
        var checked = 0
        var upcast = 0
        for try await page in store.allEvents(pageSize: 2_000) {
            for event in page {
                let decoded = try registry.decode(event)
                if registry.schemaVersion(of: event.type) == event.schemaVersion {
                    let again = try registry.encode(decoded, id: event.id, metadata: event.metadata)
                    #expect(again.payload == event.payload, "position \(event.position): \(event.type) encodes back to other bytes")
                } else {
                    upcast += 1   // an older form (TicketFiled v1, RatingSubmitted v1), read as the current one
                }
                checked += 1
            }
        }
        #expect(checked == 10_080)
        #expect(upcast > 0 && upcast < checked, "the fixture's tickets and ratings are read through their upcasters")
        await store.close()
    }
}
