import CaseLedger

/// An administrative enforcement case against an enterprise (涉企行政执法) was opened.
public struct EnforcementCaseOpened: DomainEvent, Hashable {
    public static let eventType = "EnforcementCaseOpened"

    /// The case; its stream is `enforcement-<id>`.
    public var caseID: String
    /// The department.
    public var department: String
    /// The enterprise.
    public var enterpriseID: String
    /// The alleged violation.
    public var violation: String
    /// The legal basis.
    public var legalBasis: String
    /// The statutory minimum fine, in yuan.
    public var fineMinimum: Int
    /// The statutory maximum fine, in yuan.
    public var fineMaximum: Int

    /// Creates the event.
    public init(caseID: String, department: String, enterpriseID: String, violation: String, legalBasis: String, fineMinimum: Int, fineMaximum: Int) {
        self.caseID = caseID
        self.department = department
        self.enterpriseID = enterpriseID
        self.violation = violation
        self.legalBasis = legalBasis
        self.fineMinimum = fineMinimum
        self.fineMaximum = fineMaximum
    }
}
