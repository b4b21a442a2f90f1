import CLMDB
import CaseLedger
import Foundation

/// Typed access to the named databases inside one transaction (read or
/// write); every return code checked.
struct LMDBTransaction {
    let txn: OpaquePointer
    let dbs: LMDBEnvironment.Databases

    /// Looks a key up; `nil` when absent. The value's memory lives until the
    /// transaction ends or writes.
    func get(_ dbi: MDB_dbi, _ key: [UInt8]) throws(LMDBResult) -> UnsafeRawBufferPointer? {
        var v = MDB_val()
        let rc = key.withUnsafeBytes { raw in
            var kv = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_get(txn, dbi, &kv, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        try LMDBResult.check(rc, "mdb_get")
        return LMDBKeys.buffer(v)
    }

    /// The stored record at a position; `nil` when absent. The memory lives
    /// until the transaction ends or writes.
    func storedRecord(at position: UInt64) throws(LMDBResult) -> UnsafeRawBufferPointer? {
        var key = position.bigEndian
        var v = MDB_val()
        let rc = withUnsafeMutableBytes(of: &key) { raw in
            var kv = MDB_val(mv_size: 8, mv_data: raw.baseAddress)
            return mdb_get(txn, dbs.events, &kv, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        try LMDBResult.check(rc, "mdb_get(events)")
        return LMDBKeys.buffer(v)
    }

    /// Stores a key and value. LMDB copies both and never writes through
    /// the pointers, so the bytes are passed without copying them.
    /// - Returns: `false` when `flags` hold `MDB_NOOVERWRITE` and the key exists.
    @discardableResult
    func put(_ dbi: MDB_dbi, _ key: [UInt8], _ value: UnsafeRawBufferPointer, flags: Int32 = 0) throws(LMDBResult) -> Bool {
        let rc = key.withUnsafeBytes { kraw in
            var kv = MDB_val(mv_size: kraw.count, mv_data: UnsafeMutableRawPointer(mutating: kraw.baseAddress))
            var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
            return mdb_put(txn, dbi, &kv, &v, UInt32(flags))
        }
        if rc == MDB_KEYEXIST && flags & MDB_NOOVERWRITE != 0 { return false }
        try LMDBResult.check(rc, "mdb_put")
        return true
    }

    @discardableResult
    func put(_ dbi: MDB_dbi, _ key: [UInt8], _ value: [UInt8], flags: Int32 = 0) throws(LMDBResult) -> Bool {
        let result: Result<Bool, LMDBResult> = value.withUnsafeBytes { raw in
            do throws(LMDBResult) { return .success(try put(dbi, key, raw, flags: flags)) } catch { return .failure(error) }
        }
        return try result.get()
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

    /// Opens a cursor, runs `body` with it and closes it.
    func withCursor<T>(_ dbi: MDB_dbi, _ body: (LMDBCursor) throws(LMDBResult) -> T) throws(LMDBResult) -> T {
        var c: OpaquePointer?
        try LMDBResult.check(mdb_cursor_open(txn, dbi, &c), "mdb_cursor_open")
        guard let c else { throw LMDBResult(code: MDB_BAD_TXN, operation: "mdb_cursor_open returned no cursor") }
        let cursor = LMDBCursor(cursor: c)
        defer { cursor.close() }
        return try body(cursor)
    }

    /// The head position and the head record's hash.
    func head() throws(LMDBResult) -> LogHead {
        try withCursor(dbs.events) { (c) throws(LMDBResult) -> LogHead in
            guard let (k, v) = try c.get(MDB_LAST) else { return .empty }
            let raw = LMDBKeys.buffer(v)
            guard k.mv_size == 8, raw.count > RecordFormat.hashSize,
                  let hash = AuditHash(bytes: Array(raw[(raw.count - RecordFormat.hashSize)...])) else {
                throw LMDBResult(code: MDB_CORRUPTED, operation: "reading the head record")
            }
            return LogHead(position: LMDBKeys.trailingUInt64(k), hash: hash)
        }
    }

    /// A stream's version, 0 when absent.
    func streamVersion(_ name: String) throws(LMDBResult) -> UInt64 {
        guard let v = try get(dbs.heads, Array(name.utf8)) else { return 0 }
        guard v.count == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading the version of stream \(name)") }
        return UInt64(bigEndian: v.loadUnaligned(as: UInt64.self))
    }

    /// The position of a stored event id, or `nil`.
    func position(ofEventID id: UUID) throws(LMDBResult) -> UInt64? {
        guard let v = try get(dbs.eventIDs, LMDBKeys.eventID(id)) else { return nil }
        guard v.count == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading the position of event \(id)") }
        return UInt64(bigEndian: v.loadUnaligned(as: UInt64.self))
    }

    /// A projection slot's stored state.
    func projection(_ slot: String) throws(LMDBResult) -> StoredProjection? {
        guard let bytes = try get(dbs.projections, Array(slot.utf8)) else { return nil }
        guard bytes.count >= 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading projection \(slot)") }
        return StoredProjection(checkpoint: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)), state: Array(bytes[8...]))
    }

    /// A projection slot's stored state with the rows of `tables`.
    func projection(_ slot: String, tables: [String]) throws(LMDBResult) -> StoredProjection? {
        guard var stored = try projection(slot) else { return nil }
        for table in tables { stored.rows[table] = try rows(slot, table: table, .all) }
        return stored
    }

    /// The rows of a slot's table in `range`, in key order.
    func rows(_ slot: String, table: String, _ range: RowRange) throws(LMDBResult) -> [ReadModelRow] {
        guard let dbi = dbs.rows, range.limit > 0 else { return [] }
        let prefix = LMDBKeys.rowPrefix(slot, table)
        let end = range.end.map { Array($0.utf8) }
        return try withCursor(dbi) { (c) throws(LMDBResult) -> [ReadModelRow] in
            var out: [ReadModelRow] = []
            var entry = try c.seek(prefix + Array((range.start ?? "").utf8))
            while let (k, v) = entry, out.count < range.limit {
                let raw = LMDBKeys.buffer(k)
                guard raw.count >= prefix.count, raw.prefix(prefix.count).elementsEqual(prefix) else { break }
                let key = raw[prefix.count...]
                if let end, end.lexicographicallyPrecedes(key) { break }
                out.append(ReadModelRow(key: String(decoding: key, as: UTF8.self), value: Array(LMDBKeys.buffer(v))))
                entry = try c.get(MDB_NEXT)
            }
            return out
        }
    }

    /// Removes every row of a slot.
    func deleteRows(_ slot: String) throws(LMDBResult) {
        guard let dbi = dbs.rows else { return }
        let prefix = LMDBKeys.rowPrefix(slot, nil)
        let keys = try withCursor(dbi) { (c) throws(LMDBResult) -> [[UInt8]] in
            var keys: [[UInt8]] = []
            var entry = try c.seek(prefix)
            while let (k, _) = entry {
                let raw = LMDBKeys.buffer(k)
                guard raw.count >= prefix.count, raw.prefix(prefix.count).elementsEqual(prefix) else { break }
                keys.append(Array(raw))
                entry = try c.get(MDB_NEXT)
            }
            return keys
        }
        for key in keys { try delete(dbi, key) }
    }

    /// A stream's stored snapshot.
    func snapshot(_ stream: String) throws(LMDBResult) -> AggregateSnapshot? {
        guard let bytes = try get(dbs.snapshots, Array(stream.utf8)) else { return nil }
        guard bytes.count >= 10 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading the snapshot of \(stream)") }
        let version = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        let schema = UInt16(bytes[8]) << 8 | UInt16(bytes[9])
        return AggregateSnapshot(version: version, schemaVersion: schema, state: Array(bytes[10...]))
    }

    /// Writes a batch's records and index entries; the id of an event
    /// already stored, or `nil` when everything was written.
    func insert(_ batch: RecordBatch) throws(EventStoreError) -> UUID? {
        // Records go in position order (appended at the end of `events`);
        // each index's entries are put in key order, so a large batch walks
        // each B-tree once from left to right instead of jumping about.
        var streams: [([UInt8], [UInt8])] = []
        var ids: [([UInt8], [UInt8], UUID)] = []
        var categories: [[UInt8]] = []
        if batch.count > 1 {
            streams.reserveCapacity(batch.count)
            ids.reserveCapacity(batch.count)
            categories.reserveCapacity(batch.count)
        }
        try batch.forEach { (record) throws(EventStoreError) in
            do throws(LMDBResult) {
                let position = LMDBKeys.position(record.position)
                try put(dbs.events, position, record.stored, flags: MDB_APPEND)
                streams.append((LMDBKeys.named(record.streamBytes, record.streamVersion), position))
                ids.append((LMDBKeys.eventID(record.eventID), position, record.eventID))
                categories.append(LMDBKeys.named(record.categoryBytes, record.position))
            } catch {
                throw error.storeError
            }
        }
        do throws(LMDBResult) {
            ids.sort { $0.0.lexicographicallyPrecedes($1.0) }
            for (key, position, id) in ids {
                guard try put(dbs.eventIDs, key, position, flags: MDB_NOOVERWRITE) else { return id }
            }
            streams.sort { $0.0.lexicographicallyPrecedes($1.0) }
            for (key, position) in streams { try put(dbs.streams, key, position) }
            categories.sort { $0.lexicographicallyPrecedes($1) }
            for key in categories { try put(dbs.categories, key, []) }
            for (stream, version) in batch.streamVersions.sorted(by: { $0.stream.utf8.lexicographicallyPrecedes($1.stream.utf8) }) {
                try put(dbs.heads, Array(stream.utf8), LMDBKeys.position(version))
            }
        } catch {
            throw error.storeError
        }
        return nil
    }

    /// Applies read-model writes.
    func apply(_ writes: [ReadModelWrite]) throws(LMDBResult) {
        for w in writes {
            switch w {
            case .saveProjection(let slot, let stored):
                var value = LMDBKeys.position(stored.checkpoint)
                value.append(contentsOf: stored.state)
                try put(dbs.projections, Array(slot.utf8), value)
            case .deleteProjection(let slot):
                try delete(dbs.projections, Array(slot.utf8))
                try deleteRows(slot)
            case .requireCheckpoint:
                // Checked by the storage's transaction, which can fail with a store error.
                continue
            case .saveRows(let slot, let table, let rows, let deleting):
                guard let dbi = dbs.rows else { throw LMDBResult(code: MDB_NOTFOUND, operation: "writing rows to a store opened read-only") }
                let prefix = LMDBKeys.rowPrefix(slot, table)
                for row in rows { try put(dbi, prefix + Array(row.key.utf8), row.value) }
                for key in deleting { try delete(dbi, prefix + Array(key.utf8)) }
            case .saveSnapshot(let stream, let snapshot):
                var value = LMDBKeys.position(snapshot.version)
                value.append(UInt8(snapshot.schemaVersion >> 8))
                value.append(UInt8(snapshot.schemaVersion & 0xFF))
                value.append(contentsOf: snapshot.state)
                try put(dbs.snapshots, Array(stream.utf8), value)
            }
        }
    }
}
