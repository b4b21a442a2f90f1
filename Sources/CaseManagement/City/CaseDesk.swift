import Foundation
import CaseLedger

/// The front desk of the case domain: runs commands on tickets, check-ups
/// and enforcement cases through aggregate repositories, and submits ratings.
///
/// ```swift
/// let desk = CaseDesk(store: store)
/// try await desk.ticket("2025-00017") {
///     try $0.file("2025-00017", channel: .orderPlatform, category: .wageDispute, filerID: "citizen-1",
///                 summary: "wages unpaid", level: .village, centerID: "center-village-0001")
/// }
/// try await desk.ticket("2025-00017") { try $0.assess(risk: .high) }
/// ```
public struct CaseDesk: Sendable {
    /// The store commands append to.
    public let store: any EventStore
    /// The registry of case events.
    public let registry: EventTypeRegistry
    let tickets: AggregateRepository<Ticket>
    let checkups: AggregateRepository<Checkup>
    let cases: AggregateRepository<EnforcementCase>
    let ids: EventIDStrategy

    /// Creates a desk.
    ///
    /// - Parameters:
    ///   - store: the event store.
    ///   - registry: the case events' registry.
    ///   - ids: event ids; `.derived` for a deterministic log.
    ///   - snapshots: snapshot policy for the aggregates.
    public init(store: any EventStore, registry: EventTypeRegistry = CaseEvents.registry(), ids: EventIDStrategy = .random,
                snapshots: SnapshotPolicy = .never) {
        self.store = store
        self.registry = registry
        self.ids = ids
        tickets = AggregateRepository(store: store, registry: registry, snapshots: snapshots, ids: ids)
        checkups = AggregateRepository(store: store, registry: registry, snapshots: snapshots, ids: ids)
        cases = AggregateRepository(store: store, registry: registry, snapshots: snapshots, ids: ids)
    }

    /// The stream of a ticket.
    public static func ticketStream(_ id: String) throws(EventStoreError) -> StreamName { try StreamName("ticket-\(id)") }
    /// The stream of a check-up.
    public static func checkupStream(_ id: String) throws(EventStoreError) -> StreamName { try StreamName("checkup-\(id)") }
    /// The stream of an enforcement case.
    public static func caseStream(_ id: String) throws(EventStoreError) -> StreamName { try StreamName("enforcement-\(id)") }

    /// Runs a command on a ticket; with `version`, only on that version of
    /// its stream (else ``EventStoreError/Code/wrongExpectedVersion``).
    @discardableResult
    public func ticket(_ id: String, metadata: EventMetadata = EventMetadata(), expecting version: UInt64? = nil,
                       _ command: (Ticket) throws -> [any DomainEvent]) async throws -> AppendResult {
        try await tickets.execute(try Self.ticketStream(id), metadata: metadata, expecting: version, command)
    }

    /// Runs a command on a check-up; with `version`, only on that version.
    @discardableResult
    public func checkup(_ id: String, metadata: EventMetadata = EventMetadata(), expecting version: UInt64? = nil,
                        _ command: (Checkup) throws -> [any DomainEvent]) async throws -> AppendResult {
        try await checkups.execute(try Self.checkupStream(id), metadata: metadata, expecting: version, command)
    }

    /// Runs a command on an enforcement case; with `version`, only on that version.
    @discardableResult
    public func enforcement(_ id: String, metadata: EventMetadata = EventMetadata(), expecting version: UInt64? = nil,
                            _ command: (EnforcementCase) throws -> [any DomainEvent]) async throws -> AppendResult {
        try await cases.execute(try Self.caseStream(id), metadata: metadata, expecting: version, command)
    }

    /// Loads a ticket.
    public func loadTicket(_ id: String) async throws -> Ticket { try await tickets.load(try Self.ticketStream(id)).state }
    /// Loads a check-up.
    public func loadCheckup(_ id: String) async throws -> Checkup { try await checkups.load(try Self.checkupStream(id)).state }
    /// Loads an enforcement case.
    public func loadCase(_ id: String) async throws -> EnforcementCase { try await cases.load(try Self.caseStream(id)).state }

    /// Submits a rating, with its clue ticket in the same transaction.
    @discardableResult
    public func rate(ratingID: String, unitID: String, officerID: String? = nil, isLeader: Bool = false, score: Int,
                     clue: (ticketID: String, category: TicketCategory, filerID: String, summary: String, centerID: String, level: Level)? = nil,
                     raterID: String? = nil,
                     metadata: EventMetadata = EventMetadata()) async throws -> [AppendResult] {
        let parts = try Rating.submit(ratingID: ratingID, unitID: unitID, officerID: officerID, isLeader: isLeader, score: score,
                                      clue: clue, raterID: raterID)
        try await registry.preparePersonalKeys(for: parts.map(\.event))
        var appends: [StreamAppend] = []
        for (i, part) in parts.enumerated() {
            let stream = try StreamName(part.stream)
            let id = ids == .random ? EventIDStrategy.random.id(stream: part.stream, version: 0)
                : EventIDStrategy.derive(namespace: Self.ratingNamespace, parts: [ratingID], number: UInt64(i))
            // A clue opens a new ticket stream; the rating stream takes any version.
            appends.append(StreamAppend(stream: stream, expectedVersion: i == 0 ? .any : .noStream,
                                        events: [try registry.encode(part.event, id: id, metadata: metadata)]))
        }
        return try await store.append(appends)
    }

    static let ratingNamespace = EventIDStrategy.derive(namespace: UUID(uuid: (0x0C, 0x45, 0xE0, 0x00, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xA1)), parts: ["rating"], number: 0)
}
