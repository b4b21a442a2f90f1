/// A table of rows by key inside a projection's state: the large part of a
/// read model (a ticket's row on the board, an officer's scores), saved row
/// by row instead of with the rest of the state.
///
/// It reads and writes like a dictionary. It also remembers which keys
/// changed since the projection was last saved, so the engine writes only
/// those rows with the checkpoint. The state lists its tables through
/// ``KeyedReadModel``; a table it does not list is saved with the state, like
/// any other value. Equality, hashing and encodings see the rows only: the
/// binary and JSON forms are those of a `[String: Row]` dictionary (keys in
/// order), so a digest over the state is a digest over the rows in key order.
///
/// ```swift
/// struct Board: Codable, Sendable, Hashable, KeyedReadModel {
///     var tickets = ReadModelTable<TicketRow>()
///     var opened = 0
///     static let tables: [ReadModelTableKey<Board>] = [.table("tickets", \.tickets)]
/// }
/// board.tickets["T-1"] = TicketRow(step: .filed)
/// board.tickets["T-1", default: TicketRow(step: .filed)].step = .assessed
/// ```
public struct ReadModelTable<Row: Codable & Sendable & Hashable>: Sendable {
    /// The rows by key.
    @inlinable public var rows: [String: Row] { storage }
    /// The rows, kept under another name so that inlinable members may write them.
    @usableFromInline var storage: [String: Row]
    /// Keys written or removed since the last save, while ``tracksChanges``.
    @usableFromInline var changed: Set<String> = []
    /// The stored table this value was last saved as or loaded from, `nil`
    /// for a table made anew (or replaced): then the next save writes every
    /// row of the slot again, and until then a fold (a rebuild) pays nothing
    /// for tracking changes.
    @usableFromInline var savedName: String?
    /// Whether changes are tracked (the table was saved or loaded as rows).
    @inlinable var tracksChanges: Bool { savedName != nil }
    /// Each secondary key's value for each row as of the last save or load:
    /// secondary key name → row key → value (what a save replaces).
    @usableFromInline var savedSecondary: [String: [String: String]] = [:]

    /// An empty table.
    @inlinable public init() { storage = [:] }

    /// A table holding these rows (all of them unsaved).
    public init(_ rows: [String: Row]) { storage = rows }

    /// A key's row, or `nil`; setting `nil` removes the row.
    @inlinable public subscript(key: String) -> Row? {
        get { storage[key] }
        set {
            storage[key] = newValue
            if tracksChanges { changed.insert(key) }
        }
    }

    /// A key's row, or `defaultValue` (which a write then stores).
    @inlinable public subscript(key: String, default defaultValue: @autoclosure () -> Row) -> Row {
        get { storage[key] ?? defaultValue() }
        _modify {
            if tracksChanges { changed.insert(key) }
            yield &storage[key, default: defaultValue()]
        }
    }

    /// Removes a key's row and returns it.
    @inlinable @discardableResult
    public mutating func removeValue(forKey key: String) -> Row? {
        guard let row = storage.removeValue(forKey: key) else { return nil }
        if tracksChanges { changed.insert(key) }
        return row
    }

    /// The number of rows.
    @inlinable public var count: Int { storage.count }
    /// Whether the table has no rows.
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    /// The keys, in no order.
    @inlinable public var keys: Dictionary<String, Row>.Keys { storage.keys }
    /// The rows, in no order.
    @inlinable public var values: Dictionary<String, Row>.Values { storage.values }

    /// The rows whose keys lie in `range`, in key order (UTF-8 bytes), as
    /// stored tables return them.
    public func rows(in range: RowRange) -> [KeyedRow<Row>] {
        guard range.limit > 0 else { return [] }
        if range.start != nil, range.start == range.end, let key = range.start {
            return storage[key].map { [KeyedRow(key: key, row: $0)] } ?? []
        }
        let keys = storage.keys.filter { range.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return keys.prefix(range.limit).compactMap { key in storage[key].map { KeyedRow(key: key, row: $0) } }
    }

    /// The number of keys changed since the last save (every row's, when
    /// the table was never saved as rows).
    public var unsavedChanges: Int { tracksChanges ? changed.count : storage.count }
}

extension ReadModelTable: Equatable, Hashable {
    public static func == (a: Self, b: Self) -> Bool { a.storage == b.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(rows) }
}

extension ReadModelTable: Codable {
    /// Encodes the rows as a dictionary.
    public func encode(to encoder: any Encoder) throws { try storage.encode(to: encoder) }
    /// Decodes rows encoded as a dictionary; none of them counts as changed.
    public init(from decoder: any Decoder) throws { storage = try [String: Row](from: decoder) }
}

extension ReadModelTable {
    /// The changed rows, encoded, and the changed keys that have no row.
    func changes(codec: BinaryCodec) throws(CodecError) -> (rows: [ReadModelRow], deleted: [String]) {
        var out: [ReadModelRow] = []
        var deleted: [String] = []
        out.reserveCapacity(changed.count)
        for key in changed.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let row = storage[key] {
                out.append(ReadModelRow(key: key, value: try codec.encode(row)))
            } else {
                deleted.append(key)
            }
        }
        return (out, deleted)
    }

    /// Every row, encoded, in key order.
    func allRows(codec: BinaryCodec) throws(CodecError) -> [ReadModelRow] {
        var out: [ReadModelRow] = []
        out.reserveCapacity(storage.count)
        for key in storage.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let row = storage[key] { out.append(ReadModelRow(key: key, value: try codec.encode(row))) }
        }
        return out
    }

    /// Records a secondary key's values as saved: for the changed rows
    /// (every row when changes were not tracked), or for every row.
    mutating func recordSecondary(_ index: String, _ secondary: (Row) -> String?, onlyChanged: Bool) {
        if onlyChanged && tracksChanges {
            for key in changed { savedSecondary[index, default: [:]][key] = storage[key].flatMap(secondary) }
        } else {
            var values: [String: String] = [:]
            for (key, row) in storage { values[key] = secondary(row) }
            savedSecondary[index] = values
        }
    }

    /// Forgets the changes (they are saved as `name`) and tracks the next ones.
    mutating func markSaved(as name: String) {
        changed.removeAll(keepingCapacity: true)
        savedName = name
    }

    /// Replaces the rows with stored ones; none of them counts as changed.
    mutating func load(_ stored: [ReadModelRow], as name: String, codec: BinaryCodec) throws(CodecError) {
        var loaded = [String: Row](minimumCapacity: stored.count)
        for row in stored { loaded[row.key] = try codec.decode(Row.self, from: row.value) }
        storage = loaded
        changed = []
        savedName = name
    }
}

extension ReadModelTable: BinaryDictionaryHook {
    func binarySortedPairs() -> [(any Encodable, any Encodable)] { storage.binarySortedPairs() }
    static var binaryKeyType: any Decodable.Type { String.self }
    static var binaryValueType: any Decodable.Type { Row.self }
    static func binaryMake(_ pairs: [(Any, Any)]) throws(CodecError) -> Self {
        var table = Self()
        table.storage = try [String: Row].binaryMake(pairs)
        return table
    }
}
