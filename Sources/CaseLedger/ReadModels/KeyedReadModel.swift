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

/// One table of a ``KeyedReadModel``: its stored name and where it is in the state.
public struct ReadModelTableKey<State>: Sendable {
    /// The table's stored name.
    public let name: String
    /// The table's place in the state.
    let path: AnyKeyPath & Sendable
    let changes: @Sendable (State, BinaryCodec) throws(CodecError) -> (rows: [ReadModelRow], deleted: [String])
    let all: @Sendable (State, BinaryCodec) throws(CodecError) -> [ReadModelRow]
    let markSaved: @Sendable (inout State) -> Void
    let load: @Sendable (inout State, [ReadModelRow], BinaryCodec) throws(CodecError) -> Void
    let hasRows: @Sendable (State) -> Bool

    /// A table named `name` at `path`.
    ///
    /// ```swift
    /// static let tables: [ReadModelTableKey<Board>] = [.table("tickets", \.tickets)]
    /// ```
    public static func table<Row>(_ name: String, _ path: WritableKeyPath<State, ReadModelTable<Row>> & Sendable) -> Self {
        Self(name: name, path: path,
             changes: { (state, codec) throws(CodecError) in try state[keyPath: path].changes(codec: codec) },
             all: { (state, codec) throws(CodecError) in try state[keyPath: path].allRows(codec: codec) },
             markSaved: { $0[keyPath: path].markSaved() },
             load: { (state, rows, codec) throws(CodecError) in try state[keyPath: path].load(rows, codec: codec) },
             hasRows: { !$0[keyPath: path].isEmpty })
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
