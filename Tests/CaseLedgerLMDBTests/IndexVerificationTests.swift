import CLMDB
import CaseLedger
import CaseLedgerLMDB
import CaseLedgerTestKit
import Foundation
import Testing

/// Each index database changed behind the store's back, as damage or a
/// tamperer would: `verify` names the index and the entry, and a healthy
/// store still verifies while appends run.
@Suite("LMDB: verification covers every index")
struct IndexVerificationTests {
    /// Direct access to the environment's named databases.
    struct Damage {
        let txn: OpaquePointer
        let dbs: [String: MDB_dbi]

        func put(_ db: String, _ key: [UInt8], _ value: [UInt8]) {
            var key = key, value = value
            key.withUnsafeMutableBytes { k in
                value.withUnsafeMutableBytes { v in
                    var kv = MDB_val(mv_size: k.count, mv_data: k.baseAddress)
                    var vv = MDB_val(mv_size: v.count, mv_data: v.baseAddress)
                    #expect(mdb_put(txn, dbs[db]!, &kv, &vv, 0) == 0)
                }
            }
        }

        func delete(_ db: String, _ key: [UInt8]) {
            var key = key
            key.withUnsafeMutableBytes { k in
                var kv = MDB_val(mv_size: k.count, mv_data: k.baseAddress)
                #expect(mdb_del(txn, dbs[db]!, &kv, nil) == 0)
            }
        }

        func get(_ db: String, _ key: [UInt8]) -> [UInt8]? {
            var key = key
            return key.withUnsafeMutableBytes { k in
                var kv = MDB_val(mv_size: k.count, mv_data: k.baseAddress)
                var vv = MDB_val()
                guard mdb_get(txn, dbs[db]!, &kv, &vv) == 0 else { return nil }
                return Array(UnsafeRawBufferPointer(start: vv.mv_data, count: vv.mv_size))
            }
        }
    }

    static func damage(_ path: String, _ body: (Damage) -> Void) throws {
        var env: OpaquePointer?
        try #require(mdb_env_create(&env) == 0)
        defer { mdb_env_close(env) }
        mdb_env_set_maxdbs(env, 16)
        try #require(mdb_env_open(env, path, 0, 0o644) == 0)
        var txn: OpaquePointer?
        try #require(mdb_txn_begin(env, nil, 0, &txn) == 0)
        var dbs: [String: MDB_dbi] = [:]
        for name in ["events", "streams", "heads", "eventIDs", "categories"] {
            var dbi: MDB_dbi = 0
            try #require(mdb_dbi_open(txn, name, 0, &dbi) == 0)
            dbs[name] = dbi
        }
        body(Damage(txn: txn!, dbs: dbs))
        try #require(mdb_txn_commit(txn) == 0)
    }

    static func be(_ n: UInt64) -> [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }
    static func streamKey(_ s: String, _ v: UInt64) -> [UInt8] { Array(s.utf8) + [0] + be(v) }

    /// The workload's 500 events: position 1 is case-0 version 1; case-1's
    /// versions 1 and 2 are at positions 2 and 52.
    enum Tamper: String, CaseIterable, CustomTestStringConvertible {
        case streamEntryRedirected, streamEntryDeleted, streamEntryAdded, streamKeyMalformed
        case headLowered, headRaised, headDeleted
        case eventIDRedirected, eventIDKeyChanged, eventIDDeleted
        case categoryEntryDeleted, categoryEntryRenamed

        var testDescription: String { rawValue }

        var index: StorageIndex {
            switch self {
            case .streamEntryRedirected, .streamEntryDeleted, .streamEntryAdded, .streamKeyMalformed: return .streams
            case .headLowered, .headRaised, .headDeleted: return .heads
            case .eventIDRedirected, .eventIDKeyChanged, .eventIDDeleted: return .eventIDs
            case .categoryEntryDeleted, .categoryEntryRenamed: return .categories
            }
        }

        /// Does the damage; returns what the failure must say.
        func apply(_ d: Damage, ids: [UUID]) -> String {
            let id52 = withUnsafeBytes(of: ids[51].uuid) { Array($0) }
            switch self {
            case .streamEntryRedirected:
                d.put("streams", streamKey("case-1", 2), be(1))
                return "case-1 version 2 → position 1 disagrees with the record there (case-0 version 1)"
            case .streamEntryDeleted:
                d.delete("streams", streamKey("case-1", 2))
                return "the record at position 52 has no entry"
            case .streamEntryAdded:
                d.put("streams", streamKey("case-1", 99), be(52))
                return "case-1 version 99 → position 52 disagrees"
            case .streamKeyMalformed:
                d.put("streams", Array("case-1".utf8) + [7, 0, 0], be(52))
                return "malformed entry"
            case .headLowered:
                d.put("heads", Array("case-1".utf8), be(2))
                return "case-1 → last version 2 disagrees with the log"
            case .headRaised:
                d.put("heads", Array("case-1".utf8), be(1_000))
                return "case-1 → last version 1000 is ahead of the log"
            case .headDeleted:
                d.delete("heads", Array("case-1".utf8))
                return "case-1 has events in the log (from position 2) but no entry"
            case .eventIDRedirected:
                d.put("eventIDs", id52, be(53))
                return "→ position 53 disagrees with the record there"
            case .eventIDKeyChanged:
                var other = id52
                other[15] ^= 0x01
                let value = d.get("eventIDs", id52) ?? []
                d.delete("eventIDs", id52)
                d.put("eventIDs", other, value)
                return "→ position 52 disagrees with the record there (event \(ids[51].uuidString.lowercased()))"
            case .eventIDDeleted:
                d.delete("eventIDs", id52)
                return "the record at position 52 has no entry"
            case .categoryEntryDeleted:
                d.delete("categories", Array("case".utf8) + [0] + be(52))
                return "the record at position 52 has no entry"
            case .categoryEntryRenamed:
                d.delete("categories", Array("case".utf8) + [0] + be(52))
                d.put("categories", Array("noise".utf8) + [0] + be(52), [])
                return "noise at position 52 disagrees with the record there (category case)"
            }
        }
    }

    @Test("a damaged index entry fails verify, naming the index and the entry", arguments: Tamper.allCases)
    func damaged(_ tamper: Tamper) async throws {
        let path = temporaryDirectory("index-\(tamper.rawValue)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let events = try TestDomain.workload(count: 500)
        let store = try LMDBEventStore(path: path)
        try await TestDomain.append(events, to: store)
        #expect(try await LogVerifier(store: store).verify().isValid)
        await store.close()

        var expected = ""
        try Self.damage(path) { expected = tamper.apply($0, ids: events.map { $0.1.id }) }

        let damaged = try LMDBEventStore(path: path, access: .readOnly)
        let report = try await LogVerifier(store: damaged).verify()
        await damaged.close()
        let failure = try #require(report.failure, "\(tamper) went unnoticed")
        #expect(failure.index == tamper.index)
        #expect(failure.reason.contains(expected), "\(failure)")
    }

    @Test("a healthy store verifies while appends run; the head and every index agree")
    func whileAppending() async throws {
        let path = temporaryDirectory("index-live")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try LMDBEventStore(path: path, durability: .relaxed)
        try await TestDomain.append(try TestDomain.workload(count: 2_000), to: store)
        let writers = Task {
            for (stream, event) in try TestDomain.workload(count: 3_000, start: 2_000) { _ = try await store.append([event], to: stream) }
        }
        for _ in 0..<5 {
            let report = try await LogVerifier(store: store, pageSize: 64).verify()
            #expect(report.isValid, "\(String(describing: report.failure))")
            #expect(report.events >= 2_000)
        }
        try await writers.value
        let last = try await LogVerifier(store: store).verify()
        #expect(last.isValid && last.events == 5_000)
        await store.close()
    }
}
