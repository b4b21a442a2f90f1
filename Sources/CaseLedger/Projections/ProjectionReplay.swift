/// The read models as they stood at a point in the past.
public struct ProjectionReplay: Sendable {
    /// The last position read.
    public let position: UInt64
    /// Each projection's digest, by name.
    public let digests: [String: String]
    let states: [String: any Sendable]

    init(position: UInt64, digests: [String: String], states: [String: any Sendable]) {
        self.position = position
        self.digests = digests
        self.states = states
    }

    /// A projection's state at that point.
    public func state<P: Projection>(of type: P.Type) -> P.State? {
        states[P.name] as? P.State
    }
}
