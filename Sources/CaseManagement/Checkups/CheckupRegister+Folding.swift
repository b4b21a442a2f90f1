extension CheckupRegister {
    /// Applies `change` to the enterprise a check-up belongs to, if known.
    mutating func enterprise(of checkupID: String, _ change: (inout Enterprise) -> Void) {
        guard let id = checkupEnterprise[checkupID] else { return }
        change(&enterprises[id, default: Enterprise()])
    }
}
