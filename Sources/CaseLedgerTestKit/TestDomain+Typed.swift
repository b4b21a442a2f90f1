import CaseLedger

extension TestDomain {
    /// ``Totals`` written with typed handlers: folded the fast way, it must
    /// reach the same state as the envelope fold, upcast events included.
    public struct TypedTotals: Projection {
        public static let name = "test-typed-totals"
        public init() {}
        public var filter: EventFilter { EventFilter(categories: ["case"]) }
        public func initialState() -> Totals.State { Totals.State() }

        static func count(_ c: EventContext, _ state: inout Totals.State) {
            state.events += 1
            state.fingerprint = (state.fingerprint ^ c.position) &* 1_099_511_628_211
            state.lastRecordedAt = c.recordedAt.microsecondsSince1970
        }

        public func handlers() -> EventHandlers<Totals.State> {
            var h = EventHandlers<Totals.State>()
            h.on(Opened.self) { e, c, s in Self.count(c, &s); s.amounts[e.caseID] = e.amount }
            h.on(Adjusted.self) { e, c, s in Self.count(c, &s); s.amounts[e.caseID, default: 0] += e.delta }
            h.on(Closed.self) { e, c, s in Self.count(c, &s); s.closed.insert(e.caseID) }
            return h
        }
    }

    /// A typed projection that refuses a negative amount, to check where a
    /// failing handler leaves the checkpoint.
    public struct NoNegativeAmounts: Projection {
        public static let name = "test-no-negative-amounts"
        public init() {}
        public var filter: EventFilter { EventFilter(categories: ["case"]) }
        public func initialState() -> Int { 0 }
        public func handlers() -> EventHandlers<Int> {
            var h = EventHandlers<Int>()
            h.on(Opened.self) { e, c, count in
                guard e.amount >= 0 else { throw ProjectionError(projection: Self.name, position: c.position, message: "negative amount") }
                count += 1
            }
            return h
        }
    }

    /// ``Case`` written with typed handlers.
    public struct TypedCase: AggregateRoot, Equatable {
        public var opened = false
        public var closed = false
        public var amount = 0
        public var adjustments = 0
        public var lastVersion: UInt64 = 0
        public init() {}
        public static func handlers() -> EventHandlers<TypedCase> {
            var h = EventHandlers<TypedCase>()
            h.on(Opened.self) { e, c, s in
                s.opened = true
                s.amount = e.amount
                s.lastVersion = c.streamVersion
            }
            h.on(Adjusted.self) { e, c, s in
                s.amount += e.delta
                s.adjustments += 1
                s.lastVersion = c.streamVersion
            }
            h.on(Closed.self) { _, c, s in
                s.closed = true
                s.lastVersion = c.streamVersion
            }
            return h
        }
    }
}
