import CaseLedger

/// The economic impact assessment (涉企案件经济影响评估) was recorded.
public struct EconomicImpactAssessed: DomainEvent, Hashable {
    public static let eventType = "EconomicImpactAssessed"

    /// The case.
    public var caseID: String
    /// The assessment.
    public var summary: String
    /// Jobs at stake.
    public var jobsAffected: Int

    /// Creates the event.
    public init(caseID: String, summary: String, jobsAffected: Int) {
        self.caseID = caseID
        self.summary = summary
        self.jobsAffected = jobsAffected
    }
}
