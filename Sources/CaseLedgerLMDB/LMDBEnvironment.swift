import CLMDB
import CaseLedger
import Foundation
import Synchronization

/// One LMDB environment and its named databases.
///
/// Every transaction of this process runs under ``lock`` held shared; the map
/// is resized under it held exclusively. Not thread-confined: read
/// transactions use `MDB_NOTLS`, the write transaction belongs to the writer
/// thread.
final class LMDBEnvironment: @unchecked Sendable {
    /// The named databases.
    struct Databases {
        var events: MDB_dbi = 0
        var streams: MDB_dbi = 0
        var heads: MDB_dbi = 0
        var eventIDs: MDB_dbi = 0
        var categories: MDB_dbi = 0
        var projections: MDB_dbi = 0
        var snapshots: MDB_dbi = 0
        /// Read-model rows; `nil` in a store opened read-only that was
        /// written before rows were kept (it holds none).
        var rows: MDB_dbi?
    }

    let env: OpaquePointer
    let path: String
    private(set) var dbs = Databases()
    let lock = ReadersWriterLock()
    private(set) var isOpen = true
    /// Reset read transactions waiting to be renewed.
    private let idleReaders = Locked<[OpaquePointer]>([])
    /// The most reset read transactions kept.
    static let idleReaderLimit = 32

    /// Whether the environment was opened read-only.
    let readOnly: Bool

    /// Opens the environment at `path`: checks the data file before LMDB maps
    /// it, then opens (or, with ``LMDBAccess/create``, creates) the named
    /// databases.
    init(path: String, access: LMDBAccess, durability: LMDBDurability, initialMapSize: Int) throws(EventStoreError) {
        var isDirectory: ObjCBool = false
        let directoryExists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if directoryExists && !isDirectory.boolValue {
            throw EventStoreError.storage("\(path) is a file, not a store directory")
        }
        if LMDBFileCheck.exists(path) {
            try LMDBFileCheck.check(path)
        } else if access != .create {
            throw EventStoreError(code: .invalidArgument, message: "no store at \(path)")
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw EventStoreError.storage("cannot create the store directory \(path): \(error.localizedDescription)")
            }
        }
        var handle: OpaquePointer?
        do throws(LMDBResult) {
            try LMDBResult.check(mdb_env_create(&handle), "mdb_env_create")
        } catch {
            throw error.storeError
        }
        guard let handle else { throw EventStoreError.storage("mdb_env_create returned no environment") }
        self.env = handle
        self.path = path
        self.readOnly = access == .readOnly
        mdb_env_set_assert(env, lmdbAssertion)
        do throws(LMDBResult) {
            try LMDBResult.check(mdb_env_set_maxdbs(env, 16), "mdb_env_set_maxdbs")
            try LMDBResult.check(mdb_env_set_maxreaders(env, 512), "mdb_env_set_maxreaders")
            if !readOnly { try LMDBResult.check(mdb_env_set_mapsize(env, initialMapSize), "mdb_env_set_mapsize") }
            var flags = UInt32(MDB_NOTLS)
            if durability == .relaxed { flags |= UInt32(MDB_NOSYNC) }
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            try LMDBResult.check(mdb_env_open(env, path, flags, 0o644), "mdb_env_open(\(path))")
            if !readOnly {
                // Clear readers left behind by killed processes.
                var dead: Int32 = 0
                _ = mdb_reader_check(env, &dead)
            }
            try openDatabases()
        } catch {
            mdb_env_close(env)
            if error.code == MDB_NOTFOUND {
                throw EventStoreError.corrupted("the store at \(path) is not a CaseLedger store (a named database is missing)", engineCode: .lmdb(error.code))
            }
            throw error.storeError
        }
    }

    private func openDatabases() throws(LMDBResult) {
        var txn: OpaquePointer?
        try LMDBResult.check(mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn), "mdb_txn_begin")
        guard let txn else { throw LMDBResult(code: MDB_BAD_TXN, operation: "mdb_txn_begin returned no transaction") }
        func open(_ name: String) throws(LMDBResult) -> MDB_dbi {
            var dbi: MDB_dbi = 0
            try LMDBResult.check(mdb_dbi_open(txn, name, readOnly ? 0 : UInt32(MDB_CREATE), &dbi), "mdb_dbi_open(\(name))")
            return dbi
        }
        do throws(LMDBResult) {
            dbs.events = try open("events")
            dbs.streams = try open("streams")
            dbs.heads = try open("heads")
            dbs.eventIDs = try open("eventIDs")
            dbs.categories = try open("categories")
            dbs.projections = try open("projections")
            dbs.snapshots = try open("snapshots")
            do throws(LMDBResult) {
                dbs.rows = try open("rows")
            } catch where error.code == MDB_NOTFOUND && readOnly {
                dbs.rows = nil
            }
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        // A failed commit frees the transaction itself: never abort it after.
        try LMDBResult.check(mdb_txn_commit(txn), "mdb_txn_commit")
    }

    /// The current map size in bytes.
    var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return info.me_mapsize
    }

    /// Grows the map (exclusive lock: no transaction of this process is open).
    func grow(minimum: Int) throws(LMDBResult) {
        try lock.withExclusive { () throws(LMDBResult) in
            let current = mapSize
            let step = min(max(current, 64 << 20), 8 << 30)
            let target = max(current + step, minimum)
            try LMDBResult.check(mdb_env_set_mapsize(env, target), "mdb_env_set_mapsize(\(target))")
        }
    }

    /// Adopts a map size another process set.
    func adoptResizedMap() throws(LMDBResult) {
        try lock.withExclusive { () throws(LMDBResult) in
            try LMDBResult.check(mdb_env_set_mapsize(env, 0), "mdb_env_set_mapsize(0)")
        }
    }

    /// Runs `body` in a read-only transaction.
    ///
    /// Transactions are reset after use and kept to be renewed: a renewed
    /// transaction keeps its slot in LMDB's reader table, so a read does not
    /// take the reader-table lock (with `MDB_NOTLS` any thread may renew it).
    func withReadTransaction<T>(_ body: (OpaquePointer) throws(EventStoreError) -> T) throws(EventStoreError) -> T {
        while true {
            let outcome: Result<T, EventStoreError>? = lock.withShared { () -> Result<T, EventStoreError>? in
                guard isOpen else { return .failure(.storeClosed) }
                var txn = idleReaders.withLock { $0.popLast() }
                var rc: Int32
                if let idle = txn {
                    rc = mdb_txn_renew(idle)
                    if rc != MDB_SUCCESS {
                        mdb_txn_abort(idle)
                        txn = nil
                    }
                } else {
                    rc = MDB_NOTFOUND
                }
                if txn == nil {
                    rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
                }
                if rc == MDB_MAP_RESIZED { return nil }
                guard rc == MDB_SUCCESS, let txn else {
                    return .failure(LMDBResult(code: rc, operation: "mdb_txn_begin(read)").storeError)
                }
                defer {
                    mdb_txn_reset(txn)
                    let kept = idleReaders.withLock { idle in
                        guard idle.count < Self.idleReaderLimit else { return false }
                        idle.append(txn)
                        return true
                    }
                    if !kept { mdb_txn_abort(txn) }
                }
                do throws(EventStoreError) {
                    return .success(try body(txn))
                } catch {
                    return .failure(error)
                }
            }
            if let outcome { return try outcome.get() }
            do throws(LMDBResult) { try adoptResizedMap() } catch { throw error.storeError }
        }
    }

    /// Runs `body` in a write transaction and commits it; aborts it when
    /// `body` throws. A commit that fails has freed the transaction already
    /// (LMDB's rule): it is never aborted after that.
    ///
    /// Runs on the writer thread; the lock is held shared throughout, on
    /// that thread.
    func withWriteTransaction<T>(_ body: (OpaquePointer) async throws -> T) async throws -> T {
        lock.lockShared()
        defer { lock.unlock() }
        guard isOpen else { throw EventStoreError.storeClosed }
        var txn: OpaquePointer?
        let rc = mdb_txn_begin(env, nil, 0, &txn)
        guard rc == MDB_SUCCESS, let txn else { throw LMDBResult(code: rc, operation: "mdb_txn_begin(write)").storeError }
        let result: T
        do {
            result = try await body(txn)
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        let committed = mdb_txn_commit(txn)
        guard committed == MDB_SUCCESS else { throw commitError(committed) }
        return result
    }

    /// The error of a failed commit. LMDB reports a write the disk had no
    /// room for as an I/O error (a short write); when the file system is
    /// out of space that is said as such.
    func commitError(_ code: Int32) -> EventStoreError {
        let error = LMDBResult(code: code, operation: "mdb_txn_commit")
        if code == EIO, Self.freeBytes(at: path).map({ $0 < 1 << 20 }) == true {
            return EventStoreError(code: .noSpace, message: "no space left on the device holding \(path) (LMDB: \(error.description))",
                                   engineCode: .lmdb(code))
        }
        return error.storeError
    }

    /// The bytes an unprivileged writer may still use on the file system of `path`.
    static func freeBytes(at path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Flushes committed transactions to disk.
    func sync() throws(EventStoreError) {
        try lock.withShared { () throws(EventStoreError) in
            guard isOpen else { throw EventStoreError.storeClosed }
            do throws(LMDBResult) {
                try LMDBResult.check(mdb_env_sync(env, 1), "mdb_env_sync")
            } catch {
                throw error.code == EIO ? commitError(error.code) : error.storeError
            }
        }
    }

    /// Size of the data file on disk.
    var bytesOnDisk: UInt64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")
        return (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Flushes and closes; waits for transactions of this process to end.
    func close() {
        lock.withExclusive {
            guard isOpen else { return }
            isOpen = false
            for txn in idleReaders.withLock({ idle in defer { idle = [] }; return idle }) { mdb_txn_abort(txn) }
            if !readOnly { _ = mdb_env_sync(env, 1) }
            mdb_env_close(env)
        }
    }
}

/// Set by the first thread that meets an LMDB assertion.
private let lmdbAssertionReported = Atomic<Bool>(false)

/// LMDB's own assertion failures (a damaged page it cannot read): one clear
/// line on stderr, and the process ends with status 70 (LMDB cannot go on
/// after an assertion; it would abort with a signal and a stack trace).
/// Several threads can meet the same damaged page at once (parallel reads);
/// only the first one speaks, the others wait for the process to end.
private func lmdbAssertion(_ env: OpaquePointer?, _ message: UnsafePointer<CChar>?) {
    guard lmdbAssertionReported.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
        while true { pause() }
    }
    var path: UnsafePointer<CChar>?
    if let env { _ = mdb_env_get_path(env, &path) }
    let store = path.map { String(cString: $0) } ?? "?"
    let what = message.map { String(cString: $0) } ?? "an internal check failed"
    let line = Array("caseledger: the store at \(store) is damaged (LMDB: \(what)); stopping\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    _exit(70)
}
