extension ProjectionEngine {
    /// Rows of a projection's table in `range`, in key order, from the live
    /// state: what the engine has folded, saved or not.
    ///
    /// ```swift
    /// try await engine.waitUntilCaughtUp(to: appended.position)
    /// let rows = try await engine.rows(of: TicketBoardProjection.self, in: \.open, RowRange(from: "T-1", limit: 50))
    /// ```
    public func rows<P: Projection, Row>(of type: P.Type, in table: KeyPath<P.State, ReadModelTable<Row>> & Sendable,
                                         _ range: RowRange = .all) async throws -> [KeyedRow<Row>] {
        try await state(of: type)[keyPath: table].rows(in: range)
    }

    /// One row of a projection's table from the live state, or `nil`.
    ///
    /// ```swift
    /// let ticket = try await engine.row("T-000042", of: TicketBoardProjection.self, in: \.open)
    /// ```
    public func row<P: Projection, Row>(_ key: String, of type: P.Type,
                                        in table: KeyPath<P.State, ReadModelTable<Row>> & Sendable) async throws -> Row? {
        try await state(of: type)[keyPath: table][key]
    }

    /// The rows of a projection's table whose secondary key `secondaryKey`
    /// is `value`, from the live state, in the order of their keys (a scan
    /// of the table in memory).
    ///
    /// ```swift
    /// let mine = try await engine.rows(of: TicketBoardProjection.self, in: \.open, secondaryKey: "assignee", equals: "unit-001")
    /// ```
    public func rows<P: Projection, Row>(of type: P.Type, in table: KeyPath<P.State, ReadModelTable<Row>> & Sendable,
                                         secondaryKey: String, equals value: String) async throws -> [KeyedRow<Row>] where P.State: KeyedReadModel {
        let state = try await state(of: type)
        guard let keys = ReadModelTableKey<P.State>.find(table)?.matching(state, secondaryKey, value) else {
            throw ProjectionError(projection: P.name, message: "the table has no secondary key \(secondaryKey.debugDescription)")
        }
        let rows = state[keyPath: table]
        return keys.compactMap { key in rows[key].map { KeyedRow(key: key, row: $0) } }
    }
}
