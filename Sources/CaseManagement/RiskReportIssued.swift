import CaseLedger

/// The enterprise risk assessment report (企业风险评估报告) was issued.
public struct RiskReportIssued: DomainEvent, Hashable {
    public static let eventType = "RiskReportIssued"

    /// The check-up.
    public var checkupID: String
    /// The report.
    public var reportID: String

    /// Creates the event.
    public init(checkupID: String, reportID: String) {
        self.checkupID = checkupID
        self.reportID = reportID
    }
}
