import CaseLedger

/// Rectification of a risk point was advised.
public struct RectificationAdvised: DomainEvent, Hashable {
    public static let eventType = "RectificationAdvised"

    /// The check-up.
    public var checkupID: String
    /// The point.
    public var pointID: String
    /// The advice.
    public var advice: String

    /// Creates the event.
    public init(checkupID: String, pointID: String, advice: String) {
        self.checkupID = checkupID
        self.pointID = pointID
        self.advice = advice
    }
}
