import CLMDB

/// An LMDB cursor; every return code checked.
struct LMDBCursor {
    let cursor: OpaquePointer

    func close() { mdb_cursor_close(cursor) }

    /// Moves with `op`; `nil` at the end.
    func get(_ op: MDB_cursor_op) throws(LMDBResult) -> (MDB_val, MDB_val)? {
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBResult.check(rc, "mdb_cursor_get")
        return (k, v)
    }

    /// Positions at the first key at or after `key`; `nil` when none.
    func seek(_ key: [UInt8]) throws(LMDBResult) -> (MDB_val, MDB_val)? {
        var keyBytes = key
        var k = MDB_val()
        var v = MDB_val()
        let rc = keyBytes.withUnsafeMutableBytes { raw in
            k = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
            return mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
        }
        if rc == MDB_NOTFOUND { return nil }
        try LMDBResult.check(rc, "mdb_cursor_get(SET_RANGE)")
        return (k, v)
    }
}
