import CaseLedger

/// A legal risk point was found.
public struct RiskPointFound: DomainEvent, Hashable {
    public static let eventType = "RiskPointFound"

    /// The check-up.
    public var checkupID: String
    /// The point.
    public var pointID: String
    /// Its area.
    public var area: CheckupArea
    /// How serious.
    public var severity: Severity
    /// What it is.
    public var description: String

    /// Creates the event.
    public init(checkupID: String, pointID: String, area: CheckupArea, severity: Severity, description: String) {
        self.checkupID = checkupID
        self.pointID = pointID
        self.area = area
        self.severity = severity
        self.description = description
    }
}
