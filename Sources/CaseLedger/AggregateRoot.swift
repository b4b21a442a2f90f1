/// An aggregate's state, rebuilt by folding its stream's events.
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
}

extension AggregateRoot {
    public static var snapshotSchemaVersion: UInt16 { 1 }
}
