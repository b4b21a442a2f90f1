import CaseLedger

/// Several departments inspected once together (综合查一次).
public struct CombinedInspectionHeld: DomainEvent, Hashable {
    public static let eventType = "CombinedInspectionHeld"

    /// The case.
    public var caseID: String
    /// The departments, at least two.
    public var departments: [String]

    /// Creates the event.
    public init(caseID: String, departments: [String]) {
        self.caseID = caseID
        self.departments = departments
    }
}
