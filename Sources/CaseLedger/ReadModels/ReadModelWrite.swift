/// One change to read-model storage; a list of them commits atomically.
public enum ReadModelWrite: Hashable, Sendable {
    /// Stores a projection's state and checkpoint in a slot.
    case saveProjection(slot: String, StoredProjection)
    /// Removes a slot and every row of its tables.
    case deleteProjection(slot: String)
    /// Stores rows of one of a slot's tables (replacing rows with the same
    /// key) and removes the rows with the keys in `deleting`.
    case saveRows(slot: String, table: String, rows: [ReadModelRow], deleting: [String])
    /// Stores an aggregate snapshot for a stream.
    case saveSnapshot(stream: String, AggregateSnapshot)
    /// Writes nothing, and fails the whole list with
    /// ``EventStoreError/Code/readModelConflict`` unless the slot holds this
    /// checkpoint as the writes before it leave it (`nil`: no slot). The
    /// engine puts it before a save that writes only changed rows, so that a
    /// slot another writer saved since is never half overwritten.
    case requireCheckpoint(slot: String, UInt64?)
}

/// One stored row of a read-model table: its key and its encoded value.
///
/// Rows of a table are kept in the order of their keys' UTF-8 bytes; a key is
/// at most ``maximumKeyBytes`` bytes (with the slot's and the table's names).
public struct ReadModelRow: Hashable, Sendable {
    /// The row's key.
    public var key: String
    /// The row's encoded value.
    public var value: [UInt8]

    /// Creates a row.
    public init(key: String, value: [UInt8]) {
        self.key = key
        self.value = value
    }

    /// The most bytes of slot name, table name and key together (plus two
    /// separators): what every backend can index (LMDB's key limit is 511).
    public static let maximumKeyBytes = 500
}

/// Which rows of a table a read returns: keys from `start` through `end`
/// (both included; `nil` for no bound), in key order, at most `limit`.
///
/// ```swift
/// let officers = RowRange(from: "officer/", through: "officer/\u{10FFFF}", limit: 20)
/// ```
public struct RowRange: Hashable, Sendable {
    /// The first key (included), or `nil` for the table's first row.
    public var start: String?
    /// The last key (included), or `nil` for the table's last row.
    public var end: String?
    /// The most rows returned.
    public var limit: Int

    /// Creates a range.
    public init(from start: String? = nil, through end: String? = nil, limit: Int = .max) {
        self.start = start
        self.end = end
        self.limit = limit
    }

    /// Every row.
    public static let all = RowRange()

    /// One key.
    public static func key(_ key: String) -> RowRange { RowRange(from: key, through: key, limit: 1) }

    /// The keys that start with `prefix`.
    public static func prefix(_ prefix: String, limit: Int = .max) -> RowRange {
        RowRange(from: prefix, through: prefix + "\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}", limit: limit)
    }

    /// Whether a key lies in the range (ignoring the limit), by UTF-8 bytes.
    public func contains(_ key: String) -> Bool {
        if let start, key.utf8.lexicographicallyPrecedes(start.utf8) { return false }
        if let end, end.utf8.lexicographicallyPrecedes(key.utf8) { return false }
        return true
    }
}
