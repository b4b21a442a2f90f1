import CaseLedger

/// A risk point left open on purpose, with a reason, so a report may be issued.
public struct RiskPointWaived: DomainEvent, Hashable {
    public static let eventType = "RiskPointWaived"

    /// The check-up.
    public var checkupID: String
    /// The point.
    public var pointID: String
    /// Why.
    public var reason: String

    /// Creates the event.
    public init(checkupID: String, pointID: String, reason: String) {
        self.checkupID = checkupID
        self.pointID = pointID
        self.reason = reason
    }
}
