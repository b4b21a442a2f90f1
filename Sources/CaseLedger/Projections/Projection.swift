/// A named read model: a fold of events into a state.
///
/// A projection folds either through typed ``handlers()`` (the fast way:
/// stored records are read in place and only handled events are decoded)
/// or through ``apply(_:to:)``, which receives every event its filter
/// passes, decoded, with its whole record. Implement one of the two.
///
/// The state must be `Codable` (stored with its checkpoint, and digested by
/// ``ProjectionDigest``) and its fold deterministic: the same events give the
/// same state, so a rebuild, the incremental run and a point-in-time build
/// agree byte for byte.
///
/// ```swift
/// struct TicketCount: Projection {
///     static let name = "ticket-count"
///     var filter: EventFilter { EventFilter(categories: ["ticket"]) }
///     func initialState() -> [String: Int] { [:] }
///     func apply(_ envelope: EventEnvelope, to state: inout [String: Int]) throws {
///         state[envelope.record.type, default: 0] += 1
///     }
/// }
/// let engine = ProjectionEngine(store: store, registry: registry)
/// try await engine.register(TicketCount())
/// try await engine.catchUp()
/// print(try await engine.state(of: TicketCount.self))
/// ```
public protocol Projection: Sendable {
    /// The read model's state.
    associatedtype State: Codable & Sendable

    /// The projection's name, unique in a store; it names its storage slot.
    static var name: String { get }
    /// The events it reads; every event by default.
    var filter: EventFilter { get }
    /// The state before any event.
    func initialState() -> State
    /// Folds one event into the state. Throwing stops the projection at this
    /// event (an inline projection refuses the append instead). Not called
    /// by the engine when ``handlers()`` returns handlers.
    func apply(_ envelope: EventEnvelope, to state: inout State) throws
    /// Typed handlers, one per event type folded; when there are any, the
    /// engine folds through them and events of other types are skipped
    /// without being decoded. None by default.
    func handlers() -> EventHandlers<State>
    /// Whether the handlers may read personal fields: `true` by default (a
    /// sealed value is then opened only if a handler reads its text). A
    /// projection whose figures must not depend on personal data returns
    /// `false`: its typed handlers get personal values as the log holds them,
    /// sealed, with nothing that could open them or say whose they are.
    var opensPersonalData: Bool { get }
}

extension Projection {
    public var filter: EventFilter { .all }

    public func handlers() -> EventHandlers<State> { EventHandlers() }

    public var opensPersonalData: Bool { true }

    /// Folds an event through ``handlers()`` (built anew on every call; the
    /// engine builds them once).
    public func apply(_ envelope: EventEnvelope, to state: inout State) throws {
        _ = try handlers().apply(envelope.event, context: EventContext(envelope.record), to: &state)
    }
}
