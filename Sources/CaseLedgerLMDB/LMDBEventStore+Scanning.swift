import CLMDB
import CaseLedger
import Foundation

extension LMDBEventStore: StoredRecordScanning {
    /// Hands records to `body` straight from LMDB's pages inside one read
    /// transaction: a cursor over the events database, or, for one category,
    /// over that category's index with each record looked up by position.
    package func scanStoredRecords(from position: UInt64, through last: UInt64, limit: Int, category: String?,
                                   _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        let start = max(1, position)
        guard start <= last else { return 0 }
        if let category {
            return try scanIndex(\.categories, from: LMDBKeys.category(category, position: start), limit: limit, through: last,
                                 position: { k, _ in LMDBKeys.trailingUInt64(k) }, body)
        }
        return try scan(limit: limit, body) { (txn, pass) throws(LMDBResult) in
            let c = try txn.cursor(txn.dbs.events)
            defer { c.close() }
            var entry = try c.seek(LMDBKeys.position(start))
            while let (k, v) = entry {
                guard k.mv_size == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading an events key of \(k.mv_size) bytes") }
                if LMDBKeys.trailingUInt64(k) > last || !pass(LMDBKeys.buffer(v)) { return }
                entry = try c.get(MDB_NEXT)
            }
        }
    }

    /// Hands a stream's records to `body` from LMDB's pages: the stream
    /// index in version order, each record looked up by position.
    package func scanStream(_ stream: String, from version: UInt64, limit: Int,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        return try scanIndex(\.streams, from: LMDBKeys.stream(stream, version: max(1, version)), limit: limit, through: .max,
                             position: { _, v in LMDBKeys.trailingUInt64(v) }, body)
    }

    /// Walks an index whose keys are a name, 0x00 and a big-endian number,
    /// from `key` while the name matches, looking each record up by the
    /// position `position` reads from the entry.
    private func scanIndex(_ index: KeyPath<LMDBEnvironment.Databases, MDB_dbi>, from key: [UInt8], limit: Int, through last: UInt64,
                           position: (MDB_val, MDB_val) -> UInt64,
                           _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let prefixCount = key.count - 8
        return try scan(limit: limit, body) { (txn, pass) throws(LMDBResult) in
            let c = try txn.cursor(txn.dbs[keyPath: index])
            defer { c.close() }
            var entry = try c.seek(key)
            while let (k, v) = entry {
                guard k.mv_size == key.count,
                      key.withUnsafeBytes({ memcmp($0.baseAddress!, k.mv_data, prefixCount) == 0 }) else { return }
                let p = position(k, v)
                if p > last { return }
                guard let record = try txn.storedRecord(at: p) else {
                    throw LMDBResult(code: MDB_CORRUPTED, operation: "an index points at missing position \(p)")
                }
                if !pass(record) { return }
                entry = try c.get(MDB_NEXT)
            }
        }
    }

    /// Runs `walk` in a read transaction; `pass` hands a record to `body`
    /// and says whether to go on (false after `limit` records or when `body`
    /// throws, whose error is rethrown here). Returns how many were passed.
    private func scan(limit: Int, _ body: (UnsafeRawBufferPointer) throws -> Void,
                      walk: (LMDBTransaction, (UnsafeRawBufferPointer) -> Bool) throws(LMDBResult) -> Void) throws -> Int {
        var failure: (any Error)?
        var count = 0
        let environment = self.environment
        // `walk` only calls `pass` while it runs; nothing escapes.
        try withoutActuallyEscaping(body) { body in
            try environment.withReadTransaction { (raw) throws(EventStoreError) in
                let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
                do throws(LMDBResult) {
                    try walk(txn) { record in
                        do { try body(record) } catch { failure = error; return false }
                        count += 1
                        return count < limit
                    }
                } catch {
                    throw error.storeError
                }
            }
        }
        if let failure { throw failure }
        return count
    }
}
