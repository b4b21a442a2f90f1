import CaseLedger

/// Where a ticket came in (DOMAIN.md, case type 1).
public enum Channel: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// the evaluation app (咸评政法)
    case evaluationApp
    /// the order-taking platform (有呼必应)
    case orderPlatform
    /// a household head's whistle (户长吹哨, departments must answer)
    case householdWhistle
    /// village evening talks (村湾夜话)
    case villageEveningTalk
    /// a village mediation room (说事室)
    case mediationRoom
    /// a governance center's one-stop desk (一站式受理)
    case oneStopDesk
}
