import CaseLedger

/// What a ticket is about.
public enum TicketCategory: String, Codable, Sendable, Hashable, CaseIterable, DeclarationOrdered, SchemaEnum {
    /// land acquisition and demolition (征地拆迁)
    case landAcquisition
    /// wage and labour disputes (劳资纠纷)
    case wageDispute
    /// land disputes (土地纠纷)
    case landDispute
    /// neighbour disputes (邻里矛盾)
    case neighbourDispute
    /// officer conduct (作风)
    case officerConduct
    /// help requests (困难诉求)
    case hardship
    /// suggestions (意见建议)
    case suggestion
}
