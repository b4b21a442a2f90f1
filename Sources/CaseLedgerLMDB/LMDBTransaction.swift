import CLMDB
import CaseLedger
import Foundation

/// Typed access to the named databases inside one transaction.
struct LMDBTransaction {
    let txn: OpaquePointer
    let dbs: LMDBEnvironment.Databases

    /// Looks a key up; `nil` when absent. The value's memory lives until the
    /// transaction ends or writes.
    func get(_ dbi: MDB_dbi, _ key: [UInt8]) throws(LMDBResult) -> MDB_val? {
        var v = MDB_val()
        let rc = key.withUnsafeBytes { raw in
            var kv = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_get(txn, dbi, &kv, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        try LMDBResult.check(rc, "mdb_get")
        return v
    }

    /// The stored record at a position, without building a key array;
    /// `nil` when absent. The memory lives until the transaction ends or writes.
    func storedRecord(at position: UInt64) throws(LMDBResult) -> UnsafeRawBufferPointer? {
        var key = position.bigEndian
        var v = MDB_val()
        let rc = withUnsafeMutableBytes(of: &key) { raw in
            var kv = MDB_val(mv_size: 8, mv_data: raw.baseAddress)
            return mdb_get(txn, dbs.events, &kv, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        try LMDBResult.check(rc, "mdb_get")
        return LMDBKeys.buffer(v)
    }

    /// Stores a key and value. LMDB copies both and never writes through
    /// the pointers, so the arrays are passed without copying them.
    @discardableResult
    func put(_ dbi: MDB_dbi, _ key: [UInt8], _ value: [UInt8], flags: Int32 = 0, allowExisting: Bool = false) throws(LMDBResult) -> Bool {
        let rc = key.withUnsafeBytes { kraw in
            value.withUnsafeBytes { vraw in
                var kv = MDB_val(mv_size: kraw.count, mv_data: UnsafeMutableRawPointer(mutating: kraw.baseAddress))
                var v = MDB_val(mv_size: vraw.count, mv_data: UnsafeMutableRawPointer(mutating: vraw.baseAddress))
                return mdb_put(txn, dbi, &kv, &v, UInt32(flags))
            }
        }
        if allowExisting && rc == MDB_KEYEXIST { return false }
        try LMDBResult.check(rc, "mdb_put")
        return true
    }

    /// Removes a key; absent keys are fine.
    func delete(_ dbi: MDB_dbi, _ key: [UInt8]) throws(LMDBResult) {
        var k = key
        let rc = k.withUnsafeMutableBytes { raw in
            var kv = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
            return mdb_del(txn, dbi, &kv, nil)
        }
        if rc == MDB_NOTFOUND { return }
        try LMDBResult.check(rc, "mdb_del")
    }

    /// Opens a cursor; closed by the caller through ``LMDBCursor/close()``.
    func cursor(_ dbi: MDB_dbi) throws(LMDBResult) -> LMDBCursor {
        var c: OpaquePointer?
        try LMDBResult.check(mdb_cursor_open(txn, dbi, &c), "mdb_cursor_open")
        return LMDBCursor(cursor: c!)
    }

    /// The head position and the head record's hash.
    func head() throws(LMDBResult) -> (UInt64, AuditHash) {
        let c = try cursor(dbs.events)
        defer { c.close() }
        guard let (k, v) = try c.get(MDB_LAST) else { return (0, .genesis) }
        let position = LMDBKeys.trailingUInt64(k)
        let raw = LMDBKeys.buffer(v)
        guard raw.count > 32 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading the head record") }
        return (position, AuditHash(bytes: Array(raw[(raw.count - 32)...])))
    }

    /// Decodes the record at a position.
    func record(at position: UInt64) throws(EventStoreError) -> RecordedEvent? {
        let value: MDB_val?
        do throws(LMDBResult) { value = try get(dbs.events, LMDBKeys.position(position)) } catch { throw error.storeError }
        guard let value else { return nil }
        do throws(RecordFormatError) {
            return try RecordFormat.decode(stored: LMDBKeys.buffer(value))
        } catch {
            throw EventStoreError.storage("position \(position): \(error)")
        }
    }

    /// A projection slot's stored state.
    func storedProjection(_ slot: String) throws(EventStoreError) -> StoredProjection? {
        do throws(LMDBResult) {
            guard let v = try get(dbs.projections, Array(slot.utf8)) else { return nil }
            let bytes = LMDBKeys.buffer(v)
            guard bytes.count >= 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading projection \(slot)") }
            return StoredProjection(checkpoint: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)), state: Array(bytes[8...]))
        } catch {
            throw error.storeError
        }
    }

    /// The records from one position to another, inclusive.
    func records(from: UInt64, to: UInt64) throws(EventStoreError) -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        guard from <= to else { return out }
        for p in from...to {
            guard let r = try record(at: p) else { break }
            out.append(r)
        }
        return out
    }

    /// A stream's version, 0 when absent.
    func streamVersion(_ name: String) throws(EventStoreError) -> UInt64 {
        do throws(LMDBResult) {
            guard let v = try get(dbs.heads, Array(name.utf8)) else { return 0 }
            return LMDBKeys.trailingUInt64(v)
        } catch {
            throw error.storeError
        }
    }
}
