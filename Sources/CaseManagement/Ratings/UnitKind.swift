/// The kind of a political-legal unit (政法单位).
public enum UnitKind: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered {
    /// a court
    case court
    /// a procuratorate
    case procuratorate
    /// a police bureau or station
    case police
    /// a justice bureau
    case justiceBureau
    /// a political-legal committee
    case committee
}
