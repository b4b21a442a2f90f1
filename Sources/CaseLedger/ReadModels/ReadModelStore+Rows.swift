extension ReadModelStore {
    /// The saved rows of a projection's table in `range`, in key order,
    /// decoded; read without loading the rest of the state.
    ///
    /// These are the rows as of the projection's last save (its saved
    /// checkpoint); a running engine answers from its live state with
    /// ``ProjectionEngine/rows(of:in:_:)``.
    ///
    /// ```swift
    /// let officers = try await store.savedRows(of: EvaluationScoresProjection.self, in: \.officers,
    ///                                          RowRange(from: "OF-0001", through: "OF-0099"))
    /// ```
    public func savedRows<P: Projection, Row>(of type: P.Type, in table: KeyPath<P.State, ReadModelTable<Row>>,
                                              _ range: RowRange = .all) async throws -> [KeyedRow<Row>] where P.State: KeyedReadModel {
        guard let key = ReadModelTableKey<P.State>.find(table) else {
            throw ProjectionError(projection: P.name, message: "the table is not one of the state's tables (KeyedReadModel.tables)")
        }
        let codec = BinaryCodec()
        return try await loadRows(slot: P.name, table: key.name, range).map { stored in
            do throws(CodecError) {
                return KeyedRow(key: stored.key, row: try codec.decode(Row.self, from: stored.value))
            } catch {
                throw ProjectionError(projection: P.name, message: "table \(key.name): the row \(stored.key.debugDescription) does not decode (\(error)); rebuild the projection")
            }
        }
    }

    /// One saved row of a projection's table, or `nil`.
    ///
    /// ```swift
    /// let ticket = try await store.savedRow("T-000042", of: TicketBoardProjection.self, in: \.open)
    /// ```
    public func savedRow<P: Projection, Row>(_ key: String, of type: P.Type,
                                             in table: KeyPath<P.State, ReadModelTable<Row>>) async throws -> Row? where P.State: KeyedReadModel {
        try await savedRows(of: type, in: table, .key(key)).first?.row
    }

    /// The saved rows of a projection's table whose secondary key
    /// `secondaryKey` is `value`, in the order of their keys; one range read.
    ///
    /// ```swift
    /// let unitTickets = try await store.savedRows(of: TicketBoardProjection.self, in: \.open,
    ///                                             secondaryKey: "assignee", equals: "unit-001")
    /// ```
    public func savedRows<P: Projection, Row>(of type: P.Type, in table: KeyPath<P.State, ReadModelTable<Row>>,
                                              secondaryKey: String, equals value: String, limit: Int = .max) async throws -> [KeyedRow<Row>] where P.State: KeyedReadModel {
        guard let key = ReadModelTableKey<P.State>.find(table), key.secondaryKeys.contains(secondaryKey) else {
            throw ProjectionError(projection: P.name, message: "the table has no secondary key \(secondaryKey.debugDescription)")
        }
        let prefix = value + String(ReadModelTableKey<P.State>.secondarySeparator)
        let stored = try await loadRows(slot: P.name, table: ReadModelTableKey<P.State>.secondaryTable(key.name, secondaryKey), .prefix(prefix, limit: limit))
        let codec = BinaryCodec()
        return try stored.map { stored in
            do throws(CodecError) {
                return KeyedRow(key: String(stored.key.dropFirst(prefix.count)), row: try codec.decode(Row.self, from: stored.value))
            } catch {
                throw ProjectionError(projection: P.name, message: "table \(key.name): the row \(stored.key.debugDescription) does not decode (\(error)); rebuild the projection")
            }
        }
    }
}
