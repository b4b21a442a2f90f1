import CLMDB
#if canImport(Glibc)
import Glibc
#endif
import CaseLedger
import Foundation

/// Subjects' keys in an LMDB environment of their own (a directory beside
/// or inside the store's): one database, subject → key id ‖ wrapped key.
///
/// Destroying a key deletes it and then compacts the environment
/// (`mdb_env_copy2` with `MDB_CP_COMPACT`, the copy renamed over
/// `data.mdb`): LMDB keeps a page's old contents after a write until the page
/// is reused, and the compacted copy holds only live pages, so no copy of the
/// destroyed key is left in the files. One process uses a key store at a
/// time (the one that appends).
///
/// ```swift
/// let keys = try LMDBKeyStorage(path: storePath + "/keys")
/// let vault = try await PersonalDataVault(storage: keys, masterKey: master)
/// ```
public actor LMDBKeyStorage: PersonalKeyStorage {
    private let path: String
    private var env: OpaquePointer?

    /// Opens the key store at `path`, creating it when missing; `readOnly`
    /// opens an existing one for reading only (a write is then refused by
    /// LMDB, and a missing store is a ``PersonalDataError/Code/storage`` error).
    public init(path: String, readOnly: Bool = false) throws(PersonalDataError) {
        self.path = path
        env = try Self.open(path, readOnly: readOnly)
    }

    private static func fail(_ code: Int32, _ what: String) -> PersonalDataError {
        let kind: PersonalDataError.Code = code == MDB_CORRUPTED || code == MDB_INVALID || code == MDB_VERSION_MISMATCH ? .damaged : .storage
        return PersonalDataError(kind, "key store: \(what) failed: \(String(cString: mdb_strerror(code)))")
    }

    private static func open(_ path: String, readOnly: Bool) throws(PersonalDataError) -> OpaquePointer {
        if readOnly {
            guard FileManager.default.fileExists(atPath: path + "/data.mdb") else {
                throw PersonalDataError(.storage, "there is no key store at \(path)")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw PersonalDataError(.storage, "cannot create the key store \(path): \(error.localizedDescription)")
            }
        }
        var handle: OpaquePointer?
        var rc = mdb_env_create(&handle)
        guard rc == 0, let handle else { throw fail(rc, "mdb_env_create") }
        if !readOnly { rc = mdb_env_set_mapsize(handle, 64 << 20) }
        if rc == 0 { rc = mdb_env_open(handle, path, UInt32(MDB_NOTLS) | (readOnly ? UInt32(MDB_RDONLY) : 0), 0o600) }
        guard rc == 0 else {
            mdb_env_close(handle)
            throw fail(rc, "opening \(path)")
        }
        return handle
    }

    /// Runs `body` in a transaction on the calling thread, committing a write one.
    private func transaction<T>(write: Bool, _ body: (OpaquePointer, MDB_dbi) throws(PersonalDataError) -> T) throws(PersonalDataError) -> T {
        guard let env else { throw PersonalDataError(.storage, "the key store is closed") }
        var txn: OpaquePointer?
        var rc = mdb_txn_begin(env, nil, write ? 0 : UInt32(MDB_RDONLY), &txn)
        guard rc == 0, let txn else { throw Self.fail(rc, "mdb_txn_begin") }
        var dbi: MDB_dbi = 0
        rc = mdb_dbi_open(txn, nil, 0, &dbi)
        guard rc == 0 else {
            mdb_txn_abort(txn)
            throw Self.fail(rc, "mdb_dbi_open")
        }
        let result: T
        do throws(PersonalDataError) {
            result = try body(txn, dbi)
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        if write {
            rc = mdb_txn_commit(txn)
            guard rc == 0 else { throw Self.fail(rc, "commit") }
        } else {
            mdb_txn_abort(txn)
        }
        return result
    }

    private static func get(_ txn: OpaquePointer, _ dbi: MDB_dbi, _ subject: String) throws(PersonalDataError) -> WrappedSubjectKey? {
        var key = Array(subject.utf8)
        var v = MDB_val()
        let rc = key.withUnsafeMutableBytes { raw in
            var k = MDB_val(mv_size: raw.count, mv_data: raw.baseAddress)
            return mdb_get(txn, dbi, &k, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        guard rc == 0 else { throw fail(rc, "mdb_get") }
        // The value stays valid until the transaction ends.
        return try decode(subject, UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    private static func decode(_ subject: String, _ value: UnsafeRawBufferPointer) throws(PersonalDataError) -> WrappedSubjectKey {
        guard value.count > 16 else { throw PersonalDataError(.damaged, "key store: the key of a subject is cut short") }
        return WrappedSubjectKey(subject: subject, keyID: Array(value[0..<16]), wrapped: Array(value[16...]))
    }

    public func allKeys() throws(PersonalDataError) -> [WrappedSubjectKey] {
        try transaction(write: false) { (txn, dbi) throws(PersonalDataError) in
            var cursor: OpaquePointer?
            var rc = mdb_cursor_open(txn, dbi, &cursor)
            guard rc == 0, let cursor else { throw Self.fail(rc, "mdb_cursor_open") }
            defer { mdb_cursor_close(cursor) }
            var out: [WrappedSubjectKey] = []
            var k = MDB_val(), v = MDB_val()
            rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
            while rc == 0 {
                let subject = String(decoding: UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size), as: UTF8.self)
                out.append(try Self.decode(subject, UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)))
                rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
            }
            guard rc == MDB_NOTFOUND else { throw Self.fail(rc, "mdb_cursor_get") }
            return out
        }
    }

    public func insert(_ key: WrappedSubjectKey) throws(PersonalDataError) -> WrappedSubjectKey {
        try transaction(write: true) { (txn, dbi) throws(PersonalDataError) in try Self.put(key, txn, dbi) }
    }

    /// Keeps every key in one transaction (one sync).
    public func insertAll(_ keys: [WrappedSubjectKey]) throws(PersonalDataError) -> [WrappedSubjectKey] {
        try transaction(write: true) { (txn, dbi) throws(PersonalDataError) in
            var kept: [WrappedSubjectKey] = []
            kept.reserveCapacity(keys.count)
            for key in keys { kept.append(try Self.put(key, txn, dbi)) }
            return kept
        }
    }

    /// Puts `key` unless its subject has one; the key kept.
    private static func put(_ key: WrappedSubjectKey, _ txn: OpaquePointer, _ dbi: MDB_dbi) throws(PersonalDataError) -> WrappedSubjectKey {
        if let kept = try Self.get(txn, dbi, key.subject) { return kept }
        var k = Array(key.subject.utf8)
        var v = key.keyID + key.wrapped
        let rc = k.withUnsafeMutableBytes { kb in
            v.withUnsafeMutableBytes { vb in
                var kv = MDB_val(mv_size: kb.count, mv_data: kb.baseAddress)
                var vv = MDB_val(mv_size: vb.count, mv_data: vb.baseAddress)
                return mdb_put(txn, dbi, &kv, &vv, 0)
            }
        }
        guard rc == 0 else { throw Self.fail(rc, "mdb_put") }
        return key
    }

    public func destroy(subject: String) throws(PersonalDataError) -> Bool {
        let existed = try transaction(write: true) { (txn, dbi) throws(PersonalDataError) -> Bool in
            var k = Array(subject.utf8)
            let rc = k.withUnsafeMutableBytes { kb in
                var kv = MDB_val(mv_size: kb.count, mv_data: kb.baseAddress)
                return mdb_del(txn, dbi, &kv, nil)
            }
            if rc == MDB_NOTFOUND { return false }
            guard rc == 0 else { throw Self.fail(rc, "mdb_del") }
            return true
        }
        // Compacted even when nothing was deleted now: a crash between an
        // earlier delete and its compaction leaves no old page behind.
        try compact()
        return existed
    }

    /// Replaces `data.mdb` by a compacted copy holding only live pages.
    private func compact() throws(PersonalDataError) {
        guard let env else { throw PersonalDataError(.storage, "the key store is closed") }
        let copy = path + "/compacting"
        try? FileManager.default.removeItem(atPath: copy)
        do {
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        } catch {
            throw PersonalDataError(.storage, "cannot create \(copy): \(error.localizedDescription)")
        }
        let rc = mdb_env_copy2(env, copy, UInt32(MDB_CP_COMPACT))
        guard rc == 0 else {
            try? FileManager.default.removeItem(atPath: copy)
            throw Self.fail(rc, "compacting")
        }
        mdb_env_close(env)
        self.env = nil
        // rename(2) replaces the file in one step; the old file's blocks go
        // back to the file system with it.
        let renamed = rename(copy + "/data.mdb", path + "/data.mdb")
        try? FileManager.default.removeItem(atPath: copy)
        Self.syncDirectory(path)
        self.env = try Self.open(path, readOnly: false)
        guard renamed == 0 else { throw PersonalDataError(.storage, "key store: replacing data.mdb by its compacted copy failed (errno \(errno))") }
    }

    /// Makes a rename in `path` durable.
    private static func syncDirectory(_ path: String) {
        let directory = Glibc.open(path, O_RDONLY)
        guard directory >= 0 else { return }
        fsync(directory)
        Glibc.close(directory)
    }

    public func close() {
        if let env { mdb_env_close(env) }
        env = nil
    }
}
