import CaseLedger

/// The list a penalty decision falls under (行政处罚四张清单), or an ordinary penalty.
public enum PenaltyList: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// no penalty (不予处罚): minor, first, promptly corrected; no fine
    case noPenalty
    /// mitigated penalty (减轻处罚): a fine below the statutory minimum
    case mitigated
    /// lighter penalty (从轻处罚): a fine in the lower half of the statutory range
    case lighter
    /// exemption from compulsory measures (免予强制); no fine
    case exemptFromCompulsory
    /// an ordinary penalty: a fine within the statutory range
    case ordinary
}
