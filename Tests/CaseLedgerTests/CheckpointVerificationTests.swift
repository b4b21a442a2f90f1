import CaseLedger
import CaseLedgerTestKit
import Foundation
import Testing

/// Signed checkpoints against logs cut short or rewritten: each checkpoint
/// counts once, and a rewrite is placed between the checkpoints that still
/// hold and the first that does not.
@Suite("Verification: signed checkpoints")
struct CheckpointVerificationTests {
    /// A store with the workload's first `count` events, and from `divergeAt`
    /// on events that differ from it (other amounts).
    static func store(count: Int, divergeAt: Int? = nil) async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        var events = try TestDomain.workload(count: count)
        if let divergeAt {
            let other = try TestDomain.workload(count: count, start: 10_000)
            for i in (divergeAt - 1)..<count { events[i] = (events[i].0, other[i].1) }
        }
        try await TestDomain.append(events, to: store)
        return store
    }

    /// Checkpoints of the original 300-event log at positions 100 and 200.
    static func checkpoints(_ key: AuditSigningKey) async throws -> [SignedCheckpoint] {
        let original = try await store(count: 300)
        var out: [SignedCheckpoint] = []
        for position: UInt64 in [100, 200] {
            let hash = try #require(try await original.readAll(from: position, limit: 1).first?.hash)
            out.append(try key.sign(position: position, hash: hash, time: Timestamp(microsecondsSince1970: 1_750_000_000_000_000 + Int64(position))))
        }
        return out
    }

    @Test("each checkpoint counts once, however often it is given")
    func once() async throws {
        let key = AuditSigningKey()
        let checkpoints = try await Self.checkpoints(key)
        let report = try await LogVerifier(store: try await Self.store(count: 300)).verify(checkpoints: checkpoints + checkpoints + [checkpoints[0]], publicKey: key.publicKey)
        #expect(report.isValid)
        #expect(report.checkpointsVerified == 2)
    }

    @Test("a log rewritten from position 150 is placed between the checkpoint that holds (100) and the one that does not (200)")
    func rewrittenBetween() async throws {
        let key = AuditSigningKey()
        let checkpoints = try await Self.checkpoints(key)
        let rewritten = try await Self.store(count: 300, divergeAt: 150)
        #expect(try await LogVerifier(store: rewritten).verify().isValid, "the rewritten chain is whole in itself")
        let report = try await LogVerifier(store: rewritten).verify(checkpoints: checkpoints, publicKey: key.publicKey)
        let failure = try #require(report.failure)
        #expect(failure.position == 101)
        #expect(failure.reason.contains("replaced up to position 200"), "\(failure)")
        #expect(failure.reason.contains("the checkpoint at position 100 still holds, so the first changed position is between 101 and 200"), "\(failure)")
        #expect(report.checkpointsVerified == 1)
    }

    @Test("a log rewritten before the first checkpoint says so")
    func rewrittenBeforeAll() async throws {
        let key = AuditSigningKey()
        let checkpoints = try await Self.checkpoints(key)
        let report = try await LogVerifier(store: try await Self.store(count: 300, divergeAt: 40)).verify(checkpoints: checkpoints, publicKey: key.publicKey)
        let failure = try #require(report.failure)
        #expect(failure.position == 1)
        #expect(failure.reason.contains("no earlier checkpoint holds, so the first changed position is between 1 and 100"), "\(failure)")
    }

    @Test("a log cut short before a checkpoint, or rewritten after the last one, or signed by another key")
    func cutShortAndOthers() async throws {
        let key = AuditSigningKey()
        let checkpoints = try await Self.checkpoints(key)
        let short = try await LogVerifier(store: try await Self.store(count: 150)).verify(checkpoints: checkpoints, publicKey: key.publicKey)
        #expect(short.failure?.position == 151)
        #expect(short.failure?.reason.contains("cut short") == true && short.failure?.reason.contains("covers position 200") == true)

        // Rewritten only after the last checkpoint: the checkpoints cannot see it.
        let after = try await LogVerifier(store: try await Self.store(count: 300, divergeAt: 250)).verify(checkpoints: checkpoints, publicKey: key.publicKey)
        #expect(after.isValid && after.checkpointsVerified == 2)

        let other = try await LogVerifier(store: try await Self.store(count: 300)).verify(checkpoints: checkpoints, publicKey: AuditSigningKey().publicKey)
        #expect(other.failure?.reason.contains("not signed by this key") == true)
    }
}
