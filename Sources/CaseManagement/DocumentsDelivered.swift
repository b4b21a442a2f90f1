import CaseLedger

/// The three documents delivered together (三书同达).
public struct DocumentsDelivered: DomainEvent, Hashable {
    public static let eventType = "DocumentsDelivered"

    /// The case.
    public var caseID: String
    /// The decision document.
    public var decisionDocument: String
    /// The credit-repair notice (信用修复告知书).
    public var creditRepairNotice: String
    /// The compliance advice letter (行政合规建议书).
    public var complianceAdviceLetter: String

    /// Creates the event.
    public init(caseID: String, decisionDocument: String, creditRepairNotice: String, complianceAdviceLetter: String) {
        self.caseID = caseID
        self.decisionDocument = decisionDocument
        self.creditRepairNotice = creditRepairNotice
        self.complianceAdviceLetter = complianceAdviceLetter
    }
}
