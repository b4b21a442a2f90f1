/// An aggregate's state, rebuilt by folding its stream's events.
///
/// Fold through ``apply(_:)`` or, the fast way, through typed
/// ``handlers()``: the repository then reads stored records in place and
/// decodes only the events a handler takes, straight into their types.
///
/// ```swift
/// struct Counter: AggregateRoot {
///     var count = 0
///     mutating func apply(_ event: any DomainEvent) throws {
///         if event is Incremented { count += 1 }
///     }
/// }
/// ```
public protocol AggregateRoot: Codable, Sendable {
    /// The schema version of this state type, stored with snapshots. Bump it
    /// when the state's shape changes: older snapshots are then ignored and
    /// replaced, never decoded wrongly.
    static var snapshotSchemaVersion: UInt16 { get }
    /// The state of a new stream.
    init()
    /// Folds one event.
    mutating func apply(_ event: any DomainEvent) throws
    /// Typed handlers, one per event type folded; when there are any, the
    /// repository folds through them and events of other types are skipped.
    /// None by default.
    ///
    /// ```swift
    /// static func handlers() -> EventHandlers<Counter> {
    ///     var h = EventHandlers<Counter>()
    ///     h.on(Incremented.self) { _, _, counter in counter.count += 1 }
    ///     return h
    /// }
    /// ```
    static func handlers() -> EventHandlers<Self>
}

extension AggregateRoot {
    public static var snapshotSchemaVersion: UInt16 { 1 }

    public static func handlers() -> EventHandlers<Self> { EventHandlers() }

    /// Folds an event through ``handlers()`` (built anew on every call; the
    /// repository builds them once), as an event not yet recorded.
    public mutating func apply(_ event: any DomainEvent) throws {
        _ = try Self.handlers().apply(event, context: .unrecorded, to: &self)
    }
}
