import CLMDB
import CaseLedger
import Foundation

/// A raw LMDB return code, checked at every call.
struct LMDBResult: Error, CustomStringConvertible {
    let code: Int32
    let operation: String

    var description: String {
        "LMDB \(operation) failed: \(String(cString: mdb_strerror(code))) (\(code))"
    }

    var isMapFull: Bool { code == MDB_MAP_FULL }

    /// The public error: the store's code for what happened, LMDB's own code kept.
    var storeError: EventStoreError {
        let engine = StorageEngineCode.lmdb(code)
        switch code {
        case ENOSPC, EDQUOT:
            return EventStoreError(code: .noSpace, message: "no space left on the device (\(description))", engineCode: engine)
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_VERSION_MISMATCH, MDB_BAD_TXN:
            return EventStoreError.corrupted("the LMDB environment is damaged: \(description)", engineCode: engine)
        case EACCES, EROFS:
            return EventStoreError(code: .readOnly, message: "the store cannot be written: \(description)", engineCode: engine)
        default:
            return EventStoreError.storage(description, engineCode: engine)
        }
    }

    /// Throws when `code` is not `MDB_SUCCESS`.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBResult) {
        if code != MDB_SUCCESS { throw LMDBResult(code: code, operation: operation()) }
    }
}

extension EventStoreError {
    /// Whether this is LMDB's "map full", which the store handles by growing the map.
    var isLMDBMapFull: Bool { engineCode == .lmdb(MDB_MAP_FULL) }
}
