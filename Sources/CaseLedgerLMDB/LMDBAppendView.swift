import CLMDB
import CaseLedger
import Foundation

/// The append rules' view of the writer's transaction; it sees the writes
/// of earlier appends in the same group commit.
struct LMDBAppendView: AppendStorageView {
    let txn: LMDBTransaction
    /// When false, event ids are not looked up: the write puts them with
    /// `MDB_NOOVERWRITE` and a collision sends the append back through the
    /// careful path (one B-tree search saved per event in the common case).
    var looksUpEventIDs = true

    func currentVersion(of stream: String) throws(EventStoreError) -> UInt64 {
        try txn.streamVersion(stream)
    }

    func position(ofEventID id: UUID) throws(EventStoreError) -> UInt64? {
        guard looksUpEventIDs else { return nil }
        do throws(LMDBResult) {
            guard let v = try txn.get(txn.dbs.eventIDs, LMDBKeys.eventID(id)) else { return nil }
            return LMDBKeys.trailingUInt64(v)
        } catch {
            throw error.storeError
        }
    }

    func record(at position: UInt64) throws(EventStoreError) -> RecordedEvent {
        guard let r = try txn.record(at: position) else {
            throw EventStoreError.storage("the event-id index points at position \(position), which holds no record")
        }
        return r
    }
}
