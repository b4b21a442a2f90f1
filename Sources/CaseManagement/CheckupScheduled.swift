import CaseLedger

/// An enterprise legal check-up was scheduled.
public struct CheckupScheduled: DomainEvent, Hashable {
    public static let eventType = "CheckupScheduled"

    /// The check-up; its stream is `checkup-<id>`.
    public var checkupID: String
    /// The enterprise.
    public var enterpriseID: String
    /// The public legal service center running it.
    public var centerID: String
    /// The lawyer.
    public var lawyer: String
    /// When.
    public var scheduledFor: Timestamp

    /// Creates the event.
    public init(checkupID: String, enterpriseID: String, centerID: String, lawyer: String, scheduledFor: Timestamp) {
        self.checkupID = checkupID
        self.enterpriseID = enterpriseID
        self.centerID = centerID
        self.lawyer = lawyer
        self.scheduledFor = scheduledFor
    }
}
