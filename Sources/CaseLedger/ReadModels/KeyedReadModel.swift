/// A projection state that keeps tables of rows (``ReadModelTable``) saved
/// row by row.
///
/// The engine saves such a state as its small values (the tables left out)
/// plus, for each listed table, the rows changed since the last save, all in
/// the transaction that saves the checkpoint. Loading reads the rows back.
/// Stored rows can be read by key or key range without loading the rest
/// (``ReadModelStore/savedRows(of:in:_:)``); the engine answers from its
/// live state (``ProjectionEngine/rows(of:in:_:)``).
///
/// ```swift
/// struct Scores: Codable, Sendable, Hashable, KeyedReadModel {
///     var officers = ReadModelTable<Score>()
///     var ratings = 0
///     static let tables: [ReadModelTableKey<Scores>] = [.table("officers", \.officers)]
/// }
/// ```
public protocol KeyedReadModel {
    /// The tables saved as rows, each under a name unique in the state.
    static var tables: [ReadModelTableKey<Self>] { get }
}

/// One table of a ``KeyedReadModel``: its stored name, where it is in the
/// state, and its secondary keys.
public struct ReadModelTableKey<State>: Sendable {
    /// The rows one save writes to one stored table.
    struct StoredRows {
        var table: String
        var rows: [ReadModelRow]
        var deleted: [String]
    }

    /// The table's stored name.
    public let name: String
    /// The names of its secondary keys, sorted.
    public let secondaryKeys: [String]
    /// The table's place in the state.
    let path: AnyKeyPath & Sendable
    let changes: @Sendable (State, BinaryCodec) throws -> [StoredRows]
    let all: @Sendable (State, BinaryCodec) throws -> [StoredRows]
    let markSaved: @Sendable (inout State) -> Void
    let load: @Sendable (inout State, [ReadModelRow], BinaryCodec) throws(CodecError) -> Void
    let hasRows: @Sendable (State) -> Bool
    /// Empties the table (the state saved without its rows).
    let clear: @Sendable (inout State) -> Void
    /// Whether the table in the state is the one last saved or loaded under
    /// this name (not made anew, replaced or swapped since).
    let isTracked: @Sendable (State) -> Bool
    /// The keys of the live rows whose secondary key `index` is `value`, in
    /// key order; `nil` when the table has no such secondary key.
    let matching: @Sendable (State, _ index: String, _ value: String) -> [String]?

    /// The character between a secondary key and a row's key in the keys of
    /// a secondary key's stored table; a secondary key must not contain it.
    public static var secondarySeparator: Character { "\u{1F}" }

    /// The stored table that holds the secondary key `index` of table `table`.
    public static func secondaryTable(_ table: String, _ index: String) -> String { table + "@" + index }

    /// A table named `name` at `path`, with optional secondary keys: each
    /// names a function of a row (`nil` for rows it does not cover; give a
    /// changed function a new name, so that saved slots are indexed anew), and the
    /// rows can be read by its value (``ReadModelStore/savedRows(of:in:secondaryKey:equals:limit:)``,
    /// ``ProjectionEngine/rows(of:in:secondaryKey:equals:)``). A secondary
    /// key is stored as a table of its own (``secondaryTable(_:_:)``) whose
    /// keys are the value, U+001F and the row's key, each holding a copy of
    /// the row, so a read by it is one range read.
    ///
    /// ```swift
    /// static let tables: [ReadModelTableKey<Board>] = [
    ///     .table("tickets", \.tickets, secondaryKeys: ["unit": { $0.unitID }]),
    /// ]
    /// ```
    public static func table<Row>(_ name: String, _ path: WritableKeyPath<State, ReadModelTable<Row>> & Sendable,
                                  secondaryKeys: [String: @Sendable (Row) -> String?] = [:]) -> Self {
        let indexes = secondaryKeys.sorted { $0.key < $1.key }
        @Sendable func indexKey(_ value: String, _ key: String) throws -> String {
            guard !value.contains(secondarySeparator), !value.utf8.contains(0) else {
                throw CodecError("table \(name): the secondary key \(value.debugDescription) of row \(key.debugDescription) holds U+001F or NUL")
            }
            return value + String(secondarySeparator) + key
        }
        return Self(
            name: name, secondaryKeys: indexes.map(\.key), path: path,
            changes: { state, codec in
                let table = state[keyPath: path]
                let (rows, deleted) = try table.changes(codec: codec)
                var out = [StoredRows(table: name, rows: rows, deleted: deleted)]
                let encoded = Dictionary(rows.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                for (index, secondary) in indexes {
                    var stored = StoredRows(table: secondaryTable(name, index), rows: [], deleted: [])
                    for key in rows.map(\.key) + deleted {
                        let old = table.savedSecondary[index]?[key]
                        let new = table.storage[key].flatMap(secondary)
                        if let old, old != new { stored.deleted.append(try indexKey(old, key)) }
                        if let new, let value = encoded[key] { stored.rows.append(ReadModelRow(key: try indexKey(new, key), value: value)) }
                    }
                    out.append(stored)
                }
                return out
            },
            all: { state, codec in
                let table = state[keyPath: path]
                let rows = try table.allRows(codec: codec)
                var out = [StoredRows(table: name, rows: rows, deleted: [])]
                for (index, secondary) in indexes {
                    var stored = StoredRows(table: secondaryTable(name, index), rows: [], deleted: [])
                    for row in rows {
                        if let value = table.storage[row.key].flatMap(secondary) {
                            stored.rows.append(ReadModelRow(key: try indexKey(value, row.key), value: row.value))
                        }
                    }
                    stored.rows.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    out.append(stored)
                }
                return out
            },
            markSaved: { state in
                for (index, secondary) in indexes {
                    state[keyPath: path].recordSecondary(index, secondary, onlyChanged: true)
                }
                state[keyPath: path].markSaved(as: name)
            },
            load: { (state, rows, codec) throws(CodecError) in
                try state[keyPath: path].load(rows, as: name, codec: codec)
                for (index, secondary) in indexes {
                    state[keyPath: path].recordSecondary(index, secondary, onlyChanged: false)
                }
            },
            hasRows: { !$0[keyPath: path].isEmpty },
            clear: { $0[keyPath: path] = ReadModelTable() },
            isTracked: { $0[keyPath: path].savedName == name },
            matching: { state, index, value in
                guard let secondary = secondaryKeys[index] else { return nil }
                return state[keyPath: path].storage.compactMap { secondary($0.value) == value ? $0.key : nil }
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            })
    }

    /// The stored table that records a slot's table layout (its tables and
    /// their secondary keys): a slot saved with another layout is saved
    /// whole again, so that a secondary key added or renamed is filled in.
    static var layoutTable: String { "$layout" }

    /// The layout of these tables as stored in ``layoutTable``.
    static func layout(_ tables: [Self]) -> [UInt8] {
        Array(("1:" + tables.map { $0.name + "(" + $0.secondaryKeys.joined(separator: ",") + ")" }.joined(separator: ";")).utf8)
    }

    /// Why these tables cannot be stored, or `nil`: names must be unique,
    /// non-empty, and free of NUL, `@` and a leading `$`.
    static func problem(_ tables: [Self]) -> String? {
        var seen = Set<String>()
        for table in tables {
            let names = [table.name] + table.secondaryKeys
            if names.contains(where: { $0.isEmpty || $0.utf8.contains(0) || $0.contains("@") || $0.hasPrefix("$") }) {
                return "table \(table.name.debugDescription): table and secondary key names must be non-empty, without NUL or '@', and not start with '$'"
            }
            guard seen.insert(table.name).inserted else { return "two tables are named \(table.name.debugDescription)" }
        }
        return nil
    }

    /// The key of the table at `path` among `State`'s tables, or `nil`.
    static func find<Row>(_ path: KeyPath<State, ReadModelTable<Row>>) -> Self? where State: KeyedReadModel {
        State.tables.first { $0.path == path as AnyKeyPath }
    }
}

/// A row of a table with its key, as reads by range return them.
public struct KeyedRow<Row: Sendable>: Sendable {
    /// The row's key.
    public var key: String
    /// The row.
    public var row: Row
}

extension KeyedRow: Equatable where Row: Equatable {}
extension KeyedRow: Hashable where Row: Hashable {}
