extension TicketCategory {
    /// Whether the category is a dispute, counted by the dispute resolution rate (化解率).
    public var isDispute: Bool {
        switch self {
        case .landAcquisition, .wageDispute, .landDispute, .neighbourDispute: return true
        case .officerConduct, .hardship, .suggestion: return false
        }
    }

    /// Whether a high risk in this category is a large-scale risk flagged
    /// early ("prevent a class of matters, not just settle one").
    public var isLargeScale: Bool {
        self == .landAcquisition || self == .wageDispute
    }
}
