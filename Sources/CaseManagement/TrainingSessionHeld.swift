import CaseLedger

/// A legal training session for the enterprise.
public struct TrainingSessionHeld: DomainEvent, Hashable {
    public static let eventType = "TrainingSessionHeld"

    /// The check-up.
    public var checkupID: String
    /// The topic.
    public var topic: String
    /// How many attended.
    public var attendees: Int

    /// Creates the event.
    public init(checkupID: String, topic: String, attendees: Int) {
        self.checkupID = checkupID
        self.topic = topic
        self.attendees = attendees
    }
}
