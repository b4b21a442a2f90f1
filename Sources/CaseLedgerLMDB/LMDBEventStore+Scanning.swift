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
        var failure: (any Error)?
        let environment = self.environment
        let count = try environment.withReadTransaction { (raw) throws(EventStoreError) -> Int in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            var count = 0
            do throws(LMDBResult) {
                if let category {
                    var prefix = Array(category.utf8)
                    prefix.append(0)
                    let c = try txn.cursor(txn.dbs.categories)
                    defer { c.close() }
                    var entry = try c.seek(LMDBKeys.category(category, position: start))
                    while let (k, _) = entry, count < limit {
                        guard k.mv_size == prefix.count + 8,
                              prefix.withUnsafeBytes({ memcmp($0.baseAddress!, k.mv_data, prefix.count) == 0 }) else { break }
                        let p = LMDBKeys.trailingUInt64(k)
                        if p > last { break }
                        guard let v = try txn.storedRecord(at: p) else {
                            throw LMDBResult(code: MDB_CORRUPTED, operation: "the category index points at missing position \(p)")
                        }
                        do { try body(v) } catch { failure = error; return count }
                        count += 1
                        entry = try c.get(MDB_NEXT)
                    }
                } else {
                    let c = try txn.cursor(txn.dbs.events)
                    defer { c.close() }
                    var entry = try c.seek(LMDBKeys.position(start))
                    while let (k, v) = entry, count < limit {
                        guard k.mv_size == 8 else { throw LMDBResult(code: MDB_CORRUPTED, operation: "reading an events key of \(k.mv_size) bytes") }
                        if LMDBKeys.trailingUInt64(k) > last { break }
                        do { try body(LMDBKeys.buffer(v)) } catch { failure = error; return count }
                        count += 1
                        entry = try c.get(MDB_NEXT)
                    }
                }
            } catch {
                throw error.storeError
            }
            return count
        }
        if let failure { throw failure }
        return count
    }

    /// Hands a stream's records to `body` from LMDB's pages: the stream
    /// index in version order, each record looked up by position.
    package func scanStream(_ stream: String, from version: UInt64, limit: Int,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard limit > 0 else { throw EventStoreError.invalidArgument("limit must be at least 1, not \(limit)") }
        var failure: (any Error)?
        let environment = self.environment
        let key = LMDBKeys.stream(stream, version: max(1, version))
        let prefixCount = key.count - 8
        let count = try environment.withReadTransaction { (raw) throws(EventStoreError) -> Int in
            let txn = LMDBTransaction(txn: raw, dbs: environment.dbs)
            var count = 0
            do throws(LMDBResult) {
                let c = try txn.cursor(txn.dbs.streams)
                defer { c.close() }
                var entry = try c.seek(key)
                while let (k, v) = entry, count < limit {
                    guard k.mv_size == key.count,
                          key.withUnsafeBytes({ memcmp($0.baseAddress!, k.mv_data, prefixCount) == 0 }) else { break }
                    let p = LMDBKeys.trailingUInt64(v)
                    guard let record = try txn.storedRecord(at: p) else {
                        throw LMDBResult(code: MDB_CORRUPTED, operation: "the stream index points at missing position \(p)")
                    }
                    do { try body(record) } catch { failure = error; return count }
                    count += 1
                    entry = try c.get(MDB_NEXT)
                }
            } catch {
                throw error.storeError
            }
            return count
        }
        if let failure { throw failure }
        return count
    }
}
