import CaseLedger
import Foundation

/// Small events, projections and an aggregate that the conformance suite and
/// the crash helper use. Case streams are named `case-<n>`.
public enum TestDomain {
    /// A command the test domain refuses.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// A case was opened with an amount.
    public struct Opened: DomainEvent, Equatable {
        public static let eventType = "TestOpened"
        public static let schemaVersion: UInt16 = 2
        public var caseID: String
        public var amount: Int
        public var label: String
        public init(caseID: String, amount: Int, label: String = "") {
            self.caseID = caseID
            self.amount = amount
            self.label = label
        }
    }

    /// Version 1 of ``Opened``: no label, the amount as text.
    public struct OpenedV1: DomainEvent {
        public static let eventType = "TestOpened"
        public static let schemaVersion: UInt16 = 1
        public var caseID: String
        public var amount: String
        public init(caseID: String, amount: String) {
            self.caseID = caseID
            self.amount = amount
        }
    }

    /// An amount changed.
    public struct Adjusted: DomainEvent, Equatable {
        public static let eventType = "TestAdjusted"
        public var caseID: String
        public var delta: Int
        public init(caseID: String, delta: Int) {
            self.caseID = caseID
            self.delta = delta
        }
    }

    /// A case was closed.
    public struct Closed: DomainEvent, Equatable {
        public static let eventType = "TestClosed"
        public var caseID: String
        public init(caseID: String) { self.caseID = caseID }
    }

    /// The retired "TestSettled" type: renamed and split into an adjustment and a closure.
    public struct SettledV1: DomainEvent {
        public static let eventType = "TestSettled"
        public var caseID: String
        public var finalDelta: Int
        public init(caseID: String, finalDelta: Int) {
            self.caseID = caseID
            self.finalDelta = finalDelta
        }
    }

    /// A registry of the current types, with upcasters from the old ones.
    public static var registry: EventTypeRegistry {
        var r = EventTypeRegistry()
        r.register(Opened.self)
        r.register(Adjusted.self)
        r.register(Closed.self)
        r.registerUpcaster(from: OpenedV1.self) { old in
            [Opened(caseID: old.caseID, amount: Int(old.amount) ?? 0, label: "upcast")]
        }
        r.registerUpcaster(from: SettledV1.self) { old in
            [Adjusted(caseID: old.caseID, delta: old.finalDelta), Closed(caseID: old.caseID)]
        }
        return r
    }

    /// Order-sensitive totals: every amount, a count, and a fingerprint of
    /// every (position, type) folded, so a skipped, repeated or reordered
    /// event changes the digest.
    public struct Totals: Projection {
        public static let name = "test-totals"
        public struct State: Codable, Sendable, Equatable {
            public var amounts: [String: Int] = [:]
            public var closed: Set<String> = []
            public var events = 0
            public var fingerprint: UInt64 = 14_695_981_039_346_656_037
            public var lastRecordedAt: Int64 = 0
        }
        public init() {}
        public var filter: EventFilter { EventFilter(categories: ["case"]) }
        public func initialState() -> State { State() }
        public func apply(_ envelope: EventEnvelope, to state: inout State) throws {
            state.events += 1
            state.fingerprint = (state.fingerprint ^ envelope.position) &* 1_099_511_628_211
            state.lastRecordedAt = envelope.recordedAt.microsecondsSince1970
            switch envelope.event {
            case let e as Opened: state.amounts[e.caseID] = e.amount
            case let e as Adjusted: state.amounts[e.caseID, default: 0] += e.delta
            case let e as Closed: state.closed.insert(e.caseID)
            default: break
            }
        }
    }

    /// A keyed read model: each case's row (amount and number of events) in
    /// a table saved row by row, a closed case's row removed, and event
    /// counts kept with the state.
    public struct CaseTable: Projection {
        public static let name = "test-case-table"
        public struct Row: Codable, Sendable, Hashable {
            public var amount: Int
            public var events: Int
            public init(amount: Int, events: Int) {
                self.amount = amount
                self.events = events
            }
            /// The secondary key `bucket`: the amount's magnitude modulo 3
            /// (it moves as the amount does); none for an amount of 0.
            public static func bucket(of amount: Int) -> String { "b\(abs(amount) % 3)" }
        }
        public struct State: Codable, Sendable, Hashable, KeyedReadModel {
            public var cases = ReadModelTable<Row>()
            public var events = 0
            public var closed = 0
            public static let tables: [ReadModelTableKey<State>] = [
                .table("cases", \.cases, secondaryKeys: ["bucket": { $0.amount == 0 ? nil : Row.bucket(of: $0.amount) }]),
            ]
        }
        public init() {}
        public var filter: EventFilter { EventFilter(categories: ["case"]) }
        public func initialState() -> State { State() }
        public func apply(_ envelope: EventEnvelope, to state: inout State) throws {
            state.events += 1
            switch envelope.event {
            case let e as Opened: state.cases[e.caseID] = Row(amount: e.amount, events: 1)
            case let e as Adjusted:
                state.cases[e.caseID, default: Row(amount: 0, events: 0)].amount += e.delta
                state.cases[e.caseID, default: Row(amount: 0, events: 0)].events += 1
            case let e as Closed:
                state.cases.removeValue(forKey: e.caseID)
                state.closed += 1
            default: break
            }
        }
    }

    /// A small inline read model: the open cases. It refuses an adjustment
    /// or a closure of a case that was never opened.
    public struct OpenCases: Projection {
        public static let name = "test-open-cases"
        public init() {}
        public var filter: EventFilter { EventFilter(categories: ["case"]) }
        public func initialState() -> [String: Int] { [:] }
        public func apply(_ envelope: EventEnvelope, to state: inout [String: Int]) throws {
            switch envelope.event {
            case let e as Opened: state[e.caseID] = e.amount
            case let e as Adjusted:
                guard state[e.caseID] != nil else { throw ProjectionError(projection: Self.name, message: "case \(e.caseID) is not open") }
                state[e.caseID]! += e.delta
            case let e as Closed:
                guard state.removeValue(forKey: e.caseID) != nil else { throw ProjectionError(projection: Self.name, message: "case \(e.caseID) is not open") }
            default: break
            }
        }
    }

    /// A case aggregate: refuses to adjust a closed case.
    public struct Case: AggregateRoot, Equatable {
        public var opened = false
        public var closed = false
        public var amount = 0
        public var adjustments = 0
        public init() {}
        public mutating func apply(_ event: any DomainEvent) throws {
            switch event {
            case let e as Opened:
                opened = true
                amount = e.amount
            case let e as Adjusted:
                amount += e.delta
                adjustments += 1
            case is Closed: closed = true
            default: break
            }
        }
    }

    /// A case aggregate whose state type changed shape (version 2 of the snapshot).
    public struct CaseV2: AggregateRoot, Equatable {
        public static let snapshotSchemaVersion: UInt16 = 2
        public var amount = 0
        public var adjustments = 0
        public var label = ""
        public init() {}
        public mutating func apply(_ event: any DomainEvent) throws {
            switch event {
            case let e as Opened:
                amount = e.amount
                label = e.label
            case let e as Adjusted:
                amount += e.delta
                adjustments += 1
            default: break
            }
        }
    }

    /// A deterministic workload: `count` events over `cases` case streams and
    /// some noise in another category, with recorded-at times one second apart.
    public static func workload(count: Int, cases: Int = 50, start: Int = 0) throws -> [(StreamName, EventData)] {
        let registry = Self.registry
        var out: [(StreamName, EventData)] = []
        for i in start..<(start + count) {
            let n = i % cases
            let when = Timestamp(microsecondsSince1970: 1_735_689_600_000_000 + Int64(i) * 1_000_000)
            let metadata = EventMetadata(recordedAt: when)
            let id = EventIDStrategy.derive(namespace: namespace, parts: ["workload"], number: UInt64(i))
            if i % 7 == 6 {
                out.append((try StreamName("noise-\(n)"), EventData(id: id, type: "Noise", payload: [UInt8(truncatingIfNeeded: i)], metadata: metadata)))
            } else if i < cases {
                out.append((try StreamName("case-\(n)"), try registry.encode(Opened(caseID: "case-\(n)", amount: i * 10), id: id, metadata: metadata)))
            } else {
                out.append((try StreamName("case-\(n)"), try registry.encode(Adjusted(caseID: "case-\(n)", delta: i % 13 - 6), id: id, metadata: metadata)))
            }
        }
        return out
    }

    /// Appends a workload in batches of `batch` single-stream appends.
    public static func append(_ events: [(StreamName, EventData)], to store: any EventStore) async throws {
        for (stream, data) in events {
            _ = try await store.append([data], to: stream)
        }
    }

    /// Appends a workload as large multi-stream appends (fast set-up).
    public static func bulkAppend(_ events: [(StreamName, EventData)], to store: any EventStore, batch: Int = 500) async throws {
        var i = 0
        while i < events.count {
            let chunk = events[i..<min(i + batch, events.count)]
            _ = try await store.append(chunk.map { StreamAppend(stream: $0.0, events: [$0.1]) })
            i += batch
        }
    }

    static let namespace = UUID(uuidString: "0C45E000-0000-4000-8000-000000000001")!
}
