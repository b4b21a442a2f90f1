import CaseLedger

/// Every event type of the case domain.
public enum CaseEvents {
    /// The event types, for registration.
    public static let all: [any DomainEvent.Type] = [
        TicketFiled.self, TicketAssessed.self, TicketAssigned.self, TicketTaken.self, TicketHandled.self,
        TicketReminded.self, TicketEscalated.self, ClueFirstChecked.self, ClueReviewed.self, TicketConcluded.self,
        TicketEvaluated.self, TicketReopened.self, ClueReturnRatingLapsed.self,
        RatingSubmitted.self,
        CheckupScheduled.self, CheckupConducted.self, RiskPointFound.self, RectificationAdvised.self,
        RiskPointRectified.self, RiskPointWaived.self, RiskReportIssued.self, TrainingSessionHeld.self,
        EnforcementCaseOpened.self, EconomicImpactAssessed.self, CombinedInspectionHeld.self, PenaltyDecided.self,
        DocumentsDelivered.self, DecisionPublicized.self, CreditRepairApplied.self, CreditRepaired.self,
    ]

    /// A registry with every case event type, encoding with ``BinaryCodec``.
    ///
    /// ```swift
    /// let registry = CaseEvents.registry()
    /// ```
    public static func registry(codec: any EventCodec = BinaryCodec()) -> EventTypeRegistry {
        var registry = EventTypeRegistry(codec: codec)
        for type in all { register(type, in: &registry) }
        return registry
    }

    private static func register<E: DomainEvent>(_ type: E.Type, in registry: inout EventTypeRegistry) {
        registry.register(E.self)
    }
}
