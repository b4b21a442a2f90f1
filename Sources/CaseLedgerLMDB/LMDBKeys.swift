import CLMDB
import Foundation

/// Key layouts of the named databases, and byte helpers.
///
/// | database | key | value |
/// | --- | --- | --- |
/// | events | position, UInt64 big-endian | stored record |
/// | streams | stream name, 0x00, version (BE) | position (BE) |
/// | heads | stream name | version (BE) |
/// | eventIDs | event id (16 bytes) | position (BE) |
/// | categories | category, 0x00, position (BE) | empty |
/// | rows | slot, 0x00, table, 0x00, key | row value |
///
/// Stream names never contain 0x00 (control characters are refused), so the
/// separator keeps one stream's keys together and in version order.
enum LMDBKeys {
    static func position(_ p: UInt64) -> [UInt8] {
        withUnsafeBytes(of: p.bigEndian) { Array($0) }
    }

    static func stream(_ name: String, version: UInt64) -> [UInt8] {
        var key = Array(name.utf8)
        key.append(0)
        withUnsafeBytes(of: version.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// A key of a name's bytes, 0x00 and a big-endian number.
    static func named(_ name: UnsafeRawBufferPointer, _ number: UInt64) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(name.count + 9)
        key.append(contentsOf: name)
        key.append(0)
        withUnsafeBytes(of: number.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    static func category(_ category: String, position: UInt64) -> [UInt8] {
        var key = Array(category.utf8)
        key.append(0)
        withUnsafeBytes(of: position.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// The key prefix of a slot's rows (`table == nil`) or of one table's.
    static func rowPrefix(_ slot: String, _ table: String?) -> [UInt8] {
        var key = Array(slot.utf8)
        key.append(0)
        if let table {
            key.append(contentsOf: table.utf8)
            key.append(0)
        }
        return key
    }

    static func eventID(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    /// Reads a big-endian UInt64 from the last 8 bytes of a value or key.
    static func trailingUInt64(_ val: MDB_val) -> UInt64 {
        guard val.mv_size >= 8, let base = val.mv_data else { return 0 }
        let raw = UnsafeRawPointer(base).advanced(by: val.mv_size - 8)
        return UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
    }

    static func buffer(_ val: MDB_val) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: val.mv_data, count: val.mv_size)
    }
}
