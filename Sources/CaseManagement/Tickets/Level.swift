import CaseLedger

/// Where a ticket is handled: "small matters stay in the group, big ones in
/// the village, hard ones in the town" (小事不出组、大事不出村、难事不出镇).
/// Ordered from the lowest; escalation only goes up.
public enum Level: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// A villager group: grid members, household heads, village auxiliary police.
    case group
    /// A village or community (村/社区) and its governance center.
    case village
    /// A town (乡镇) governance center.
    case town
    /// A county (县) governance center.
    case county
    /// The city (市) governance center.
    case city
}
