import CLMDB
import CaseLedger
import CaseLedgerLMDB
import CaseLedgerTestKit
import Foundation
import Testing

/// Damage a reader cannot see in the bytes of one record: a record moved to
/// another key, a stream index entry pointing at the wrong record. Folds,
/// replays and reads stop with the position; they never return figures.
@Suite("LMDB: damaged keys and indexes")
struct DamagedIndexTests {
    /// Rewrites the store's environment directly, as damage would.
    static func damage(_ path: String, _ body: (OpaquePointer, MDB_dbi, MDB_dbi) -> Void) throws {
        var env: OpaquePointer?
        try #require(mdb_env_create(&env) == 0)
        defer { mdb_env_close(env) }
        mdb_env_set_maxdbs(env, 16)
        try #require(mdb_env_open(env, path, 0, 0o644) == 0)
        var txn: OpaquePointer?
        try #require(mdb_txn_begin(env, nil, 0, &txn) == 0)
        var events: MDB_dbi = 0, streams: MDB_dbi = 0
        try #require(mdb_dbi_open(txn, "events", 0, &events) == 0)
        try #require(mdb_dbi_open(txn, "streams", 0, &streams) == 0)
        body(txn!, events, streams)
        try #require(mdb_txn_commit(txn) == 0)
    }

    static func filled() async throws -> String {
        let path = temporaryDirectory("damaged")
        let store = try LMDBEventStore(path: path)
        for (stream, event) in try TestDomain.workload(count: 500) { _ = try await store.append([event], to: stream) }
        await store.close()
        return path
    }

    @Test("a record moved to another key: reads, folds and replays fail naming the position")
    func movedRecord() async throws {
        let path = try await Self.filled()
        try Self.damage(path) { txn, events, _ in
            // Position 100's record, stored under key 100 with one bit flipped.
            var key = Array(withUnsafeBytes(of: UInt64(100).bigEndian) { Array($0) })
            var moved = Array(withUnsafeBytes(of: UInt64(100 ^ 0x4000).bigEndian) { Array($0) })
            key.withUnsafeMutableBytes { keyBytes in
                var k = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                var v = MDB_val()
                _ = mdb_get(txn, events, &k, &v)
                var value = Array(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
                _ = mdb_del(txn, events, &k, nil)
                moved.withUnsafeMutableBytes { movedBytes in
                    value.withUnsafeMutableBytes { raw in
                        var mk = MDB_val(mv_size: 8, mv_data: movedBytes.baseAddress)
                        var mv = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
                        _ = mdb_put(txn, events, &mk, &mv, 0)
                    }
                }
            }
        }
        let store = try LMDBEventStore(path: path, access: .readOnly)
        await #expect(throws: EventStoreError.self) { _ = try await store.readAll(from: 1, limit: 1_000) }
        let replayError = await #expect(throws: (any Error).self) {
            _ = try await ProjectionReplayer(store: store, registry: TestDomain.registry).replay([TestDomain.Totals()])
        }
        #expect("\(replayError.map { "\($0)" } ?? "")".contains("100"), "the error names the position")
        let report = try await LogVerifier(store: store).verify()
        #expect(report.failure?.position == 100)
        await store.close()
    }

    @Test("a stream index entry pointing at another stream's record: reads by stream and aggregate loads refuse it")
    func misdirectedIndex() async throws {
        let path = try await Self.filled()
        try Self.damage(path) { txn, _, streams in
            // case-1 version 2 now points at position 1 (case-0's first event).
            var key = Array("case-1".utf8) + [0] + withUnsafeBytes(of: UInt64(2).bigEndian) { Array($0) }
            var position = withUnsafeBytes(of: UInt64(1).bigEndian) { Array($0) }
            key.withUnsafeMutableBytes { raw in
                position.withUnsafeMutableBytes { p in
                    var k = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
                    var v = MDB_val(mv_size: 8, mv_data: p.baseAddress)
                    _ = mdb_put(txn, streams, &k, &v, 0)
                }
            }
        }
        let store = try LMDBEventStore(path: path, access: .readOnly)
        let error = await #expect(throws: EventStoreError.self) { _ = try await store.readStream(try StreamName("case-1")) }
        #expect(error?.code == .corrupted && error?.position == 1, "\(String(describing: error))")
        await #expect(throws: EventStoreError.self) {
            _ = try await AggregateRepository<TestDomain.Case>(store: store, registry: TestDomain.registry).load(try StreamName("case-1"))
        }
        await store.close()
    }
}
