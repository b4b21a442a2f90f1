/// A typed event of the domain: Codable, with a stable type name and a
/// schema version.
///
/// ```swift
/// struct TicketFiled: DomainEvent {
///     static let eventType = "TicketFiled"
///     var ticketID: String
///     var channel: String
/// }
/// var registry = EventTypeRegistry()
/// registry.register(TicketFiled.self)
/// let data = try registry.encode(TicketFiled(ticketID: "t-1", channel: "app"))
/// ```
public protocol DomainEvent: Codable, Sendable {
    /// The type name stored with every event of this type. Never change it
    /// once events are stored; register an upcaster instead.
    static var eventType: String { get }
    /// The schema version of this definition, 1 unless the event's shape changed.
    static var schemaVersion: UInt16 { get }
}

extension DomainEvent {
    public static var schemaVersion: UInt16 { 1 }
}
