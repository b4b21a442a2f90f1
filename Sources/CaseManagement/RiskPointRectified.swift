import CaseLedger

/// A risk point was rectified and the rectification verified.
public struct RiskPointRectified: DomainEvent, Hashable {
    public static let eventType = "RiskPointRectified"

    /// The check-up.
    public var checkupID: String
    /// The point.
    public var pointID: String
    /// Who verified it.
    public var verifiedBy: String

    /// Creates the event.
    public init(checkupID: String, pointID: String, verifiedBy: String) {
        self.checkupID = checkupID
        self.pointID = pointID
        self.verifiedBy = verifiedBy
    }
}
