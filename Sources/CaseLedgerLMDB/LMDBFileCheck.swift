import CaseLedger
import Foundation

/// Checks a store's `data.mdb` before LMDB maps it: that it is an LMDB
/// environment, that a meta page is valid, and that the file is as long as
/// that meta page says. A truncated file would otherwise be mapped and fault
/// (SIGBUS) at the first read past its end; a file that is not LMDB, or is
/// empty, would be taken for an empty store.
///
/// The meta pages are the first two pages (LMDB 0.9's layout on 64-bit
/// systems): a 16-byte page header, then the magic `0xBEEFC0DE`, the format
/// version 1, the map address and size, the free and main database records
/// (48 bytes each; the free database's first field holds the page size), the
/// last page used and the transaction id. The newest valid meta page wins,
/// as LMDB chooses.
enum LMDBFileCheck {
    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1
    /// An invalid page number: an empty database's root.
    static let invalidPage = UInt64.max

    struct Meta {
        var pageSize: UInt64
        var lastPage: UInt64
        var transaction: UInt64
        var mainRoot: UInt64
        var freeRoot: UInt64
    }

    /// Whether `path` holds a store's data file.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/data.mdb")
    }

    /// Checks the data file at `path` (a store directory).
    ///
    /// - Throws: ``EventStoreError`` (`corrupted`) naming the store and what
    ///   is wrong, or (`storage`) when the file cannot be read.
    static func check(_ path: String) throws(EventStoreError) {
        let file = path + "/data.mdb"
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw EventStoreError.storage("cannot read \(file)")
        }
        defer { try? handle.close() }
        // The meta pages first, the size after: another process may commit
        // meanwhile, and a commit writes its pages (growing the file) before
        // its meta page, so a size read later covers what any meta read
        // earlier claims. (Read the other way round, a commit in between
        // looked like a truncated file.)
        let first = read(handle, at: 0, count: 4096)
        guard !first.isEmpty else {
            throw EventStoreError.corrupted("the store at \(path) is damaged: its data file is empty")
        }
        guard let meta0 = parse(first) else {
            throw EventStoreError.corrupted("the store at \(path) is not an LMDB environment, or its first page is damaged")
        }
        let pageSize = meta0.pageSize
        var metas = [meta0]
        if let meta1 = parse(read(handle, at: pageSize, count: 256)) { metas.append(meta1) }
        let valid = metas.filter { $0.pageSize == pageSize && isConsistent($0) }
        guard let newest = valid.max(by: { $0.transaction < $1.transaction }) else {
            throw EventStoreError.corrupted("the store at \(path) is damaged: no meta page is consistent")
        }
        let size: UInt64
        do {
            size = try handle.seekToEnd()
        } catch {
            throw EventStoreError.storage("cannot read \(file): \(error.localizedDescription)")
        }
        let needed = (newest.lastPage + 1) * pageSize
        guard size >= needed else {
            throw EventStoreError.corrupted("the store at \(path) is damaged: its data file is truncated (\(size) bytes; the store needs \(needed))")
        }
    }

    /// Whether a meta page's page numbers stay inside the pages it says are used.
    static func isConsistent(_ meta: Meta) -> Bool {
        guard meta.lastPage >= 1 else { return false }
        for root in [meta.mainRoot, meta.freeRoot] where root != invalidPage {
            if root < 2 || root > meta.lastPage { return false }
        }
        return true
    }

    /// Parses a meta page; `nil` when it is not one.
    static func parse(_ page: [UInt8]) -> Meta? {
        guard page.count >= 152 else { return nil }
        func u32(_ at: Int) -> UInt32 { page[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func u64(_ at: Int) -> UInt64 { page[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        guard u32(16) == magic, u32(20) == dataVersion else { return nil }
        let pageSize = UInt64(u32(40))
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else { return nil }
        return Meta(pageSize: pageSize, lastPage: u64(136), transaction: u64(144), mainRoot: u64(128), freeRoot: u64(80))
    }

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) -> [UInt8] {
        do {
            try handle.seek(toOffset: offset)
            return Array(try handle.read(upToCount: count) ?? Data())
        } catch {
            return []
        }
    }
}
