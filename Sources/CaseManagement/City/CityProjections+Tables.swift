import CaseLedger
import Foundation

extension CityProjections {
    /// The tables of the city's read models, by read model, in the order
    /// their states declare them.
    public static let tables: [(readModel: String, tables: [String])] = [
        (TicketBoardProjection.name, TicketBoard.tables.map(\.name)),
        (EvaluationScoresProjection.name, EvaluationScores.tables.map(\.name)),
        (CheckupRegisterProjection.name, CheckupRegister.tables.map(\.name)),
        (PenaltyRegisterProjection.name, PenaltyRegister.tables.map(\.name)),
    ]

    /// A saved row as JSON: its key and the row's JSON object (sorted keys).
    public struct JSONRow: Sendable, Hashable {
        /// The row's key.
        public var key: String
        /// The row as JSON text.
        public var json: String
    }

    /// The saved rows of a city read model's table in `range`, in key order,
    /// each as JSON; reads the rows only, not the rest of the state.
    ///
    /// ```swift
    /// let rows = try await CityProjections.savedRows(in: store, readModel: "ticket-board", table: "tickets", .key("T-000042"))
    /// ```
    ///
    /// - Throws: ``ProjectionError`` naming the read models and their tables
    ///   when there is no such table.
    /// - Parameter secondary: a secondary key and its value (the ticket
    ///   board's `assignee`): the rows with that value instead of `range`'s
    ///   (only its limit applies).
    public static func savedRows(in store: any ReadModelStore, readModel: String, table: String, _ range: RowRange,
                                 secondary: (key: String, value: String)? = nil) async throws -> [JSONRow] {
        func json<P: Projection, Row: Encodable>(_ type: P.Type, _ path: KeyPath<P.State, ReadModelTable<Row>>) async throws -> [JSONRow] where P.State: KeyedReadModel {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let rows = if let secondary {
                try await store.savedRows(of: type, in: path, secondaryKey: secondary.key, equals: secondary.value, limit: range.limit)
            } else {
                try await store.savedRows(of: type, in: path, range)
            }
            return try rows.map { JSONRow(key: $0.key, json: String(decoding: try encoder.encode($0.row), as: UTF8.self)) }
        }
        switch (readModel, table) {
        case (TicketBoardProjection.name, "tickets"): return try await json(TicketBoardProjection.self, \.open)
        case (EvaluationScoresProjection.name, "units"): return try await json(EvaluationScoresProjection.self, \.units)
        case (EvaluationScoresProjection.name, "officers"): return try await json(EvaluationScoresProjection.self, \.officers)
        case (CheckupRegisterProjection.name, "enterprises"): return try await json(CheckupRegisterProjection.self, \.enterprises)
        case (CheckupRegisterProjection.name, "checkups"): return try await json(CheckupRegisterProjection.self, \.checkupEnterprise)
        case (CheckupRegisterProjection.name, "open-points"): return try await json(CheckupRegisterProjection.self, \.openPoints)
        case (PenaltyRegisterProjection.name, "cases"): return try await json(PenaltyRegisterProjection.self, \.cases)
        case (PenaltyRegisterProjection.name, "enterprises"): return try await json(PenaltyRegisterProjection.self, \.byEnterprise)
        default:
            let known = tables.map { "\($0.readModel) (\($0.tables.joined(separator: ", ")))" }.joined(separator: "; ")
            throw ProjectionError(projection: readModel, message: "no table \(table.debugDescription); the tables are: \(known)")
        }
    }
}
