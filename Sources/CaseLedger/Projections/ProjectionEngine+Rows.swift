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
}
