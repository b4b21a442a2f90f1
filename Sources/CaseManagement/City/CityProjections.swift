import CaseLedger

/// The city's four read models.
public enum CityProjections {
    /// Every read model of the case domain.
    public static var all: [any Projection] {
        [TicketBoardProjection(), EvaluationScoresProjection(), CheckupRegisterProjection(), PenaltyRegisterProjection()]
    }

    /// Registers every read model with an engine.
    public static func register(in engine: ProjectionEngine) async throws {
        try await engine.register(TicketBoardProjection())
        try await engine.register(EvaluationScoresProjection())
        try await engine.register(CheckupRegisterProjection())
        try await engine.register(PenaltyRegisterProjection())
    }
}
