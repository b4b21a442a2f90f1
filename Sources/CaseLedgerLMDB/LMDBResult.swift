import CLMDB
import CaseLedger

/// A raw LMDB return code, checked at every call.
struct LMDBResult: Error, CustomStringConvertible {
    let code: Int32
    let operation: String

    var description: String {
        "LMDB \(operation) failed: \(String(cString: mdb_strerror(code))) (\(code))"
    }

    var isMapFull: Bool { code == MDB_MAP_FULL }
    var isMapResized: Bool { code == MDB_MAP_RESIZED }

    /// The public error carrying the engine's message.
    var storeError: EventStoreError { .storage(description) }

    /// Throws when `code` is not `MDB_SUCCESS`.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBResult) {
        if code != MDB_SUCCESS { throw LMDBResult(code: code, operation: operation()) }
    }
}
