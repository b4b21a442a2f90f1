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
    public private(set) var rows: [String: Row]
    /// Keys written or removed since the last save.
    var changed: Set<String> = []

    /// An empty table.
    public init() { rows = [:] }

    /// A table holding these rows (all of them unsaved).
    public init(_ rows: [String: Row]) {
        self.rows = rows
        changed = Set(rows.keys)
    }

    /// A key's row, or `nil`; setting `nil` removes the row.
    public subscript(key: String) -> Row? {
        get { rows[key] }
        set {
            rows[key] = newValue
            changed.insert(key)
        }
    }

    /// A key's row, or `defaultValue` (which a write then stores).
    public subscript(key: String, default defaultValue: @autoclosure () -> Row) -> Row {
        get { rows[key] ?? defaultValue() }
        _modify {
            changed.insert(key)
            yield &rows[key, default: defaultValue()]
        }
    }

    /// Removes a key's row and returns it.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> Row? {
        guard let row = rows.removeValue(forKey: key) else { return nil }
        changed.insert(key)
        return row
    }

    /// The number of rows.
    public var count: Int { rows.count }
    /// Whether the table has no rows.
    public var isEmpty: Bool { rows.isEmpty }
    /// The keys, in no order.
    public var keys: Dictionary<String, Row>.Keys { rows.keys }
    /// The rows, in no order.
    public var values: Dictionary<String, Row>.Values { rows.values }

    /// The rows whose keys lie in `range`, in key order (UTF-8 bytes), as
    /// stored tables return them.
    public func rows(in range: RowRange) -> [KeyedRow<Row>] {
        guard range.limit > 0 else { return [] }
        if range.start != nil, range.start == range.end, let key = range.start {
            return rows[key].map { [KeyedRow(key: key, row: $0)] } ?? []
        }
        let keys = rows.keys.filter { range.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return keys.prefix(range.limit).compactMap { key in rows[key].map { KeyedRow(key: key, row: $0) } }
    }

    /// The number of keys changed since the last save.
    public var unsavedChanges: Int { changed.count }
}

extension ReadModelTable: Equatable, Hashable {
    public static func == (a: Self, b: Self) -> Bool { a.rows == b.rows }
    public func hash(into hasher: inout Hasher) { hasher.combine(rows) }
}

extension ReadModelTable: Codable {
    /// Encodes the rows as a dictionary.
    public func encode(to encoder: any Encoder) throws { try rows.encode(to: encoder) }
    /// Decodes rows encoded as a dictionary; none of them counts as changed.
    public init(from decoder: any Decoder) throws { rows = try [String: Row](from: decoder) }
}

extension ReadModelTable {
    /// The changed rows, encoded, and the changed keys that have no row.
    func changes(codec: BinaryCodec) throws(CodecError) -> (rows: [ReadModelRow], deleted: [String]) {
        var out: [ReadModelRow] = []
        var deleted: [String] = []
        out.reserveCapacity(changed.count)
        for key in changed.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let row = rows[key] {
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
        out.reserveCapacity(rows.count)
        for key in rows.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let row = rows[key] { out.append(ReadModelRow(key: key, value: try codec.encode(row))) }
        }
        return out
    }

    /// Forgets the changes (they are saved).
    mutating func markSaved() { changed.removeAll(keepingCapacity: true) }

    /// Replaces the rows with stored ones; none of them counts as changed.
    mutating func load(_ stored: [ReadModelRow], codec: BinaryCodec) throws(CodecError) {
        var loaded = [String: Row](minimumCapacity: stored.count)
        for row in stored { loaded[row.key] = try codec.decode(Row.self, from: row.value) }
        rows = loaded
        changed = []
    }
}

/// Tables a binary encoding may leave out (see ``BinaryCodec/encode(_:omittingTables:)``).
protocol BinaryTableHook {}

extension ReadModelTable: BinaryTableHook, BinaryDictionaryHook {
    func binarySortedPairs() -> [(any Encodable, any Encodable)] { rows.binarySortedPairs() }
    static var binaryKeyType: any Decodable.Type { String.self }
    static var binaryValueType: any Decodable.Type { Row.self }
    static func binaryMake(_ pairs: [(Any, Any)]) throws(CodecError) -> Self {
        var table = Self()
        table.rows = try [String: Row].binaryMake(pairs)
        return table
    }
}
